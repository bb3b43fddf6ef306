#ifndef COCLICK_CNCURSES_SHIM_H
#define COCLICK_CNCURSES_SHIM_H

// The wide-character API (get_wch, cchar_t, mvadd_wch) needs this before the header.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

// Swift 6 treats C globals as shared mutable state; read them through functions.
static inline WINDOW *coclick_stdscr(void) { return stdscr; }
static inline int coclick_lines(void) { return LINES; }
static inline int coclick_cols(void) { return COLS; }
static inline int coclick_colors(void) { return COLORS; }
static inline int coclick_color_pairs(void) { return COLOR_PAIRS; }
static inline int coclick_key_resize(void) { return KEY_RESIZE; }
static inline int coclick_wcwidth(wchar_t c) { return wcwidth(c); }


// Attribute and colour-pair macros are not imported into Swift.
static inline attr_t coclick_a_normal(void) { return A_NORMAL; }
static inline attr_t coclick_a_bold(void) { return A_BOLD; }
static inline attr_t coclick_a_underline(void) { return A_UNDERLINE; }
static inline attr_t coclick_a_reverse(void) { return A_REVERSE; }
static inline int coclick_key_code_yes(void) { return KEY_CODE_YES; }
static inline int coclick_key_f0(void) { return KEY_F0; }

// newterm instead of initscr: initscr exits the process on an unknown TERM.
static inline SCREEN *coclick_newterm(void) { return newterm(NULL, stdout, stdin); }

// Sets a cell from a NUL-terminated wide string (base + combining marks).
static inline int coclick_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, short pair) {
    cchar_t cc;
    if (setcchar(&cc, wch, attrs, pair, NULL) == ERR) return ERR;
    return mvwadd_wch(stdscr, y, x, &cc);
}

// Turns off XON/XOFF so Ctrl-S reaches the program (cbreak leaves it on).
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
static inline void coclick_disable_flow_control(void) {
    struct termios t;
    if (tcgetattr(0, &t) == 0) { t.c_iflag &= ~(IXON | IXOFF); tcsetattr(0, TCSANOW, &t); }
}
static inline int coclick_window_size(int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0) return -1;
    *rows = ws.ws_row; *cols = ws.ws_col;
    return 0;
}

// MARK: Signals
//
// Everything below runs inside signal handlers, so it uses only
// async-signal-safe calls (write, tcsetattr, sigaction, raise, sigprocmask).
// The state lives in one static struct: only NcursesBackend.swift calls
// these functions, so there is exactly one copy of it.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    volatile sig_atomic_t active;      // the terminal is ours and needs restoring
    int have_shell_mode;
    struct termios shell_mode;          // the tty modes before we started
    char restore_seq[512];              // sgr0 cnorm rmkx rmcup, from terminfo
    size_t restore_len;
    int pipe_fds[2];                    // self-pipe: TSTP, CONT, WINCH -> main queue
    struct sigaction previous[65];
} coclick_signal_state;

static inline coclick_signal_state *coclick_sig(void) {
    static coclick_signal_state s = { .pipe_fds = { -1, -1 } };
    return &s;
}

/// Before newterm: remember the shell's tty modes.
static inline void coclick_save_shell_mode(void) {
    coclick_signal_state *s = coclick_sig();
    s->have_shell_mode = tcgetattr(0, &s->shell_mode) == 0;
}

static inline void coclick_append_cap(const char *name) {
    coclick_signal_state *s = coclick_sig();
    const char *v = tigetstr(name);
    if (v == NULL || v == (char *)-1) return;
    size_t n = strlen(v);
    if (s->restore_len + n >= sizeof s->restore_seq) return;
    memcpy(s->restore_seq + s->restore_len, v, n);
    s->restore_len += n;
}

/// After newterm: the bytes that give the screen back, looked up now
/// because terminfo must not be read inside a signal handler.
static inline void coclick_prepare_restore(void) {
    coclick_signal_state *s = coclick_sig();
    s->restore_len = 0;
    // CAN ends any escape sequence a draw was in the middle of.
    s->restore_seq[s->restore_len++] = 0x18;
    // Mouse reports off (harmless when they were never on).
    const char *mouse_off = "\033[?1006l\033[?1000l";
    memcpy(s->restore_seq + s->restore_len, mouse_off, strlen(mouse_off));
    s->restore_len += strlen(mouse_off);
    coclick_append_cap("sgr0");
    coclick_append_cap("cnorm");
    coclick_append_cap("rmkx");
    coclick_append_cap("rmcup");
}

static inline void coclick_set_active(int on) { coclick_sig()->active = on; }

/// Async-signal-safe: the shell's tty modes back, cursor shown, main screen back.
static inline void coclick_emergency_restore(void) {
    coclick_signal_state *s = coclick_sig();
    if (!s->active) return;
    s->active = 0;
    int saved = errno;
    size_t off = 0;
    while (off < s->restore_len) {
        ssize_t n = write(1, s->restore_seq + off, s->restore_len - off);
        if (n <= 0) { if (n < 0 && errno == EINTR) continue; break; }
        off += (size_t)n;
    }
    if (s->have_shell_mode) tcsetattr(0, TCSADRAIN, &s->shell_mode);
    errno = saved;
}

/// INT, TERM, HUP, QUIT and crashes: restore, then let the previous action
/// (the default, or Swift's backtracer) run, so the process dies of the signal.
static void coclick_fatal_handler(int sig) {
    coclick_emergency_restore();
    coclick_signal_state *s = coclick_sig();
    struct sigaction old = s->previous[sig];
    if (old.sa_handler == SIG_IGN) old.sa_handler = SIG_DFL;
    sigaction(sig, &old, NULL);
    // Pending until this handler returns (the signal is blocked meanwhile); a
    // real fault also happens again on return. Either way the old action runs.
    raise(sig);
}

static void coclick_pipe_handler(int sig) {
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    ssize_t r = write(coclick_sig()->pipe_fds[1], &b, 1);
    (void)r;
    errno = saved;
}

static inline int coclick_install_one(int sig, void (*handler)(int), int flags, int keep_ignored) {
    coclick_signal_state *s = coclick_sig();
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) return -1;
    // Respect an inherited SIG_IGN (nohup, background jobs of a non-interactive shell).
    if (keep_ignored && old.sa_handler == SIG_IGN) return 0;
    s->previous[sig] = old;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}

/// Installs every handler before newterm (ncurses then leaves them alone).
/// Returns the read end of the self-pipe, or -1.
static inline int coclick_install_signal_handlers(void) {
    coclick_signal_state *s = coclick_sig();
    if (s->pipe_fds[0] < 0) {
        if (pipe(s->pipe_fds) != 0) return -1;
        for (int i = 0; i < 2; i++) {
            fcntl(s->pipe_fds[i], F_SETFD, FD_CLOEXEC);
            fcntl(s->pipe_fds[i], F_SETFL, fcntl(s->pipe_fds[i], F_GETFL) | O_NONBLOCK);
        }
        // An alternate stack, so a stack overflow still restores the terminal.
        stack_t st;
        memset(&st, 0, sizeof st);
        st.ss_size = 256 * 1024;
        st.ss_sp = malloc(st.ss_size);
        if (st.ss_sp != NULL) sigaltstack(&st, NULL);
    }
    int quit_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    for (int i = 0; i < 4; i++) coclick_install_one(quit_signals[i], coclick_fatal_handler, 0, 1);
    int crash_signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP, SIGSYS };
    for (int i = 0; i < 7; i++) coclick_install_one(crash_signals[i], coclick_fatal_handler, SA_ONSTACK, 0);
    coclick_install_one(SIGTSTP, coclick_pipe_handler, SA_RESTART, 1);
    coclick_install_one(SIGCONT, coclick_pipe_handler, SA_RESTART, 0);
    coclick_install_one(SIGWINCH, coclick_pipe_handler, SA_RESTART, 0);
    // Signals stay deliverable on this thread whatever the parent blocked.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT); sigaddset(&set, SIGTERM); sigaddset(&set, SIGHUP); sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGTSTP); sigaddset(&set, SIGCONT); sigaddset(&set, SIGWINCH);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return s->pipe_fds[0];
}

/// The next signal number the handlers queued on the self-pipe, or -1.
static inline int coclick_next_signal(void) {
    unsigned char b;
    ssize_t n = read(coclick_sig()->pipe_fds[0], &b, 1);
    return n == 1 ? (int)b : -1;
}

/// Ctrl-Z: stop the way the shell expects (SIGTSTP, default action), then
/// take our handler back once continued. In an orphaned process group the
/// kernel discards the stop, and we simply carry on.
static inline void coclick_stop_self(void) {
    struct sigaction dfl, ours;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTSTP, &dfl, &ours);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), SIGTSTP);
    sigaction(SIGTSTP, &ours, NULL);
}

/// The tty hung up or went away: poll says so without reading.
#include <poll.h>
static inline int coclick_stdin_gone(void) {
    struct pollfd p = { .fd = 0, .events = POLLIN, .revents = 0 };
    if (poll(&p, 1, 0) < 0) return 0;
    return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

#endif
