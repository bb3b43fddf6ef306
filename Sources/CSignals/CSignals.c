// Signal handling for the dashboard. Everything reachable from a handler is
// async-signal-safe: write, open, close, dup2, readlink, umask, tcsetattr,
// sigaction, sigprocmask, raise, kill, clock_gettime, _exit. (backtrace() is
// warmed up at install time, so it does not load libgcc inside a handler;
// backtrace_symbols_fd writes to the fd without allocating.)

#define _GNU_SOURCE
#include "CSignals.h"

#include <elf.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static const int crash_signals[] = { SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP, SIGSYS };
#define CRASH_SIGNAL_COUNT 8

static struct {
    volatile sig_atomic_t active;       // the terminal is ours and needs restoring
    volatile sig_atomic_t reporter;     // the thread writing a crash report (0: none)
    int have_shell_mode;
    struct termios shell_mode;          // the tty modes before we started
    char restore_seq[512];              // CAN sgr0 cnorm rmkx rmcup
    size_t restore_len;
    int pipe_fds[2];                    // self-pipe: TSTP, CONT, WINCH -> the main thread's loop
    char crash_dir[1024];               // empty: no crash report
    int crash_handlers_installed;
    // The executable's code in memory, and what to subtract from an address
    // there for addr2line (0 in a non-PIE binary); have_exe_code 0: unknown.
    int have_exe_code;
    uintptr_t exe_bias, exe_code_lo, exe_code_hi;
} state = { .pipe_fds = { -1, -1 } };

// MARK: Setup (normal context)

void coclick_save_shell_mode(void) {
    state.have_shell_mode = tcgetattr(0, &state.shell_mode) == 0;
}

void coclick_set_restore_sequence(const char *bytes, size_t length) {
    size_t n = length < 500 ? length : 500;
    // CAN first: it ends any escape sequence a draw was in the middle of.
    state.restore_seq[0] = 0x18;
    memcpy(state.restore_seq + 1, bytes, n);
    state.restore_len = n + 1;
}

void coclick_set_active(int on) { state.active = on; }

void coclick_set_crash_report(const char *directory) {
    state.crash_dir[0] = 0;
    if (directory == NULL || strlen(directory) >= sizeof state.crash_dir) return;
    strcpy(state.crash_dir, directory);
}

// MARK: Async-signal-safe helpers

static void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

static void write_str(int fd, const char *s) { write_all(fd, s, strlen(s)); }

/// Appends `s` to `buf` (size `cap`) at `*len`, always NUL-terminated.
static void append(char *buf, size_t cap, size_t *len, const char *s) {
    while (*s && *len + 1 < cap) buf[(*len)++] = *s++;
    buf[*len] = 0;
}

static void append_uint(char *buf, size_t cap, size_t *len, unsigned long v, int min_digits) {
    char digits[24];
    int n = 0;
    do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v > 0 && n < 23);
    while (n < min_digits && n < 23) digits[n++] = '0';
    char out[24];
    for (int i = 0; i < n; i++) out[i] = digits[n - 1 - i];
    out[n] = 0;
    append(buf, cap, len, out);
}

static void append_hex(char *buf, size_t cap, size_t *len, uintptr_t v) {
    char out[2 + 2 * sizeof v + 1];
    int n = 0;
    char digits[2 * sizeof v];
    do { digits[n++] = "0123456789abcdef"[v & 0xF]; v >>= 4; } while (v > 0 && n < (int)sizeof digits);
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < n; i++) out[2 + i] = digits[n - 1 - i];
    out[2 + n] = 0;
    append(buf, cap, len, out);
}

static const char *signal_name(int sig) {
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGQUIT: return "SIGQUIT";
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGABRT: return "SIGABRT";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    default: return "a signal";
    }
}

/// The shell's tty modes back, cursor shown, main screen back.
static void emergency_restore(void) {
    if (!state.active) return;
    state.active = 0;
    write_all(1, state.restore_seq, state.restore_len);
    if (state.have_shell_mode) tcsetattr(0, TCSADRAIN, &state.shell_mode);
}

/// "crash-20261129-210512Z.txt" in the crash folder, from the UTC time now
/// (civil-from-days arithmetic: gmtime is not async-signal-safe).
static void crash_file_name(char *buf, size_t cap, const char *suffix) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long secs = ts.tv_sec;
    long long days = secs / 86400, rem = secs % 86400;
    long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) y += 1;
    size_t len = 0;
    buf[0] = 0;
    append(buf, cap, &len, state.crash_dir);
    append(buf, cap, &len, "/crash-");
    append_uint(buf, cap, &len, (unsigned long)y, 4);
    append_uint(buf, cap, &len, (unsigned long)m, 2);
    append_uint(buf, cap, &len, (unsigned long)d, 2);
    append(buf, cap, &len, "-");
    append_uint(buf, cap, &len, (unsigned long)(rem / 3600), 2);
    append_uint(buf, cap, &len, (unsigned long)(rem % 3600 / 60), 2);
    append_uint(buf, cap, &len, (unsigned long)(rem % 60), 2);
    append(buf, cap, &len, "Z");
    append(buf, cap, &len, suffix);
    append(buf, cap, &len, ".txt");
}

/// The frames of the crashing thread, raw (module(+offset) [address]), and
/// the same addresses ready for addr2line where they lie in our own binary.
static void write_report_body(int fd, int sig) {
    write_str(fd, "coclick ended by ");
    write_str(fd, signal_name(sig));
    write_str(fd, "\n\nFrames of the thread that received it, innermost first:\n");
    void *frames[128];
    int n = backtrace(frames, 128);
    backtrace_symbols_fd(frames, n, fd);

    char exe[1024];
    ssize_t exe_len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (exe_len <= 0) return;
    exe[exe_len] = 0;
    // Each return address less one, so that the line named is the call's.
    char addresses[2600];
    size_t alen = 0;
    addresses[0] = 0;
    for (int i = 0; i < n && state.have_exe_code; i++) {
        uintptr_t pc = (uintptr_t)frames[i];
        if (pc <= state.exe_code_lo || pc > state.exe_code_hi) continue;
        append(addresses, sizeof addresses, &alen, " ");
        append_hex(addresses, sizeof addresses, &alen, pc - 1 - state.exe_bias);
    }
    if (alen == 0) append(addresses, sizeof addresses, &alen, " <the +0x offsets after coclick( above>");
    write_str(fd, "\nSource lines of the frames in coclick:\n  addr2line -Cfpe ");
    write_all(fd, exe, (size_t)exe_len);
    write_all(fd, addresses, alen);
    write_str(fd, " | swift demangle\nor, for a stripped binary, with its .debug file beside it:\n  addr2line -Cfpe ");
    write_all(fd, exe, (size_t)exe_len);
    write_str(fd, ".debug");
    write_all(fd, addresses, alen);
    write_str(fd, " | swift demangle\n");
}

/// The report in crash-<UTC time>.txt (0600, never an existing file), and one
/// line on stderr naming it.
static void write_crash_report(int sig) {
    if (state.crash_dir[0] == 0) return;
    // Nothing more reaches the screen: a thread still drawing would write over the shell.
    int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null_fd >= 0) { dup2(null_fd, 1); close(null_fd); }
    umask(077);
    char path[1200];
    crash_file_name(path, sizeof path, "");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno == EEXIST) {
        // Two crashes in one second: the pid tells them apart.
        char suffix[32];
        size_t len = 0;
        suffix[0] = 0;
        append(suffix, sizeof suffix, &len, "-");
        append_uint(suffix, sizeof suffix, &len, (unsigned long)getpid(), 1);
        crash_file_name(path, sizeof path, suffix);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    }
    if (fd < 0) return;
    write_report_body(fd, sig);
    close(fd);
    char line[1400];
    size_t len = 0;
    line[0] = 0;
    append(line, sizeof line, &len, "coclick: ended by ");
    append(line, sizeof line, &len, signal_name(sig));
    append(line, sizeof line, &len, "; backtrace in ");
    append(line, sizeof line, &len, path);
    append(line, sizeof line, &len, "\n");
    write_all(2, line, len);
}

/// Dies of `sig` by its default action, now.
static void die_of(int sig) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    raise(sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    // SIGTRAP and friends may be blocked elsewhere; never live on.
    _exit(128 + sig);
}

// MARK: Helper programs

#define MAX_HELPERS 32
static volatile sig_atomic_t helper_groups[MAX_HELPERS];
static pthread_mutex_t helpers_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t helpers_at_exit = PTHREAD_ONCE_INIT;

static void end_helpers_at_exit(void) { coclick_end_helpers(); }
static void register_at_exit(void) { atexit(end_helpers_at_exit); }

int coclick_helper_started(int pgid) {
    if (pgid <= 0) return -1;
    pthread_once(&helpers_at_exit, register_at_exit);
    pthread_mutex_lock(&helpers_lock);
    int result = -1;
    for (int i = 0; i < MAX_HELPERS; i++) {
        if (helper_groups[i] == 0) { helper_groups[i] = pgid; result = 0; break; }
    }
    pthread_mutex_unlock(&helpers_lock);
    return result;
}

void coclick_helper_ended(int pgid) {
    pthread_mutex_lock(&helpers_lock);
    for (int i = 0; i < MAX_HELPERS; i++) {
        if (helper_groups[i] == pgid) helper_groups[i] = 0;
    }
    pthread_mutex_unlock(&helpers_lock);
}

// No lock: a handler may interrupt a thread holding it. A slot is one
// sig_atomic_t, read once; a group is forgotten as soon as its leader is reaped.
void coclick_end_helpers(void) {
    for (int i = 0; i < MAX_HELPERS; i++) {
        int g = helper_groups[i];
        if (g > 0) kill(-g, SIGKILL);
    }
}

// MARK: Handlers

static void quit_handler(int sig) {
    int saved = errno;
    coclick_end_helpers();
    emergency_restore();
    errno = saved;
    die_of(sig);
}

static void crash_handler(int sig, siginfo_t *info, void *context) {
    (void)info;
    (void)context;
    pid_t self = (pid_t)syscall(SYS_gettid);
    if (state.reporter != 0) {
        // The report itself crashed: die now. Another thread crashed meanwhile:
        // wait, the reporting thread ends the process.
        if (state.reporter == self) die_of(sig);
        for (;;) pause();
    }
    state.reporter = self;
    coclick_end_helpers();
    emergency_restore();
    write_crash_report(sig);
    die_of(sig);
}

static void pipe_handler(int sig) {
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    ssize_t r = write(state.pipe_fds[1], &b, 1);
    (void)r;
    errno = saved;
}

// MARK: Installing

static void install_one(int sig, struct sigaction *sa, int keep_ignored) {
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) return;
    // Respect an inherited SIG_IGN (nohup, background jobs of a non-interactive shell).
    if (keep_ignored && !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN) return;
    sigaction(sig, sa, NULL);
}

static void install_simple(int sig, void (*handler)(int), int flags, int keep_ignored) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    install_one(sig, &sa, keep_ignored);
}

/// Where the executable's code lies in memory and its load bias, from the
/// program headers the kernel handed over (AT_PHDR): the report turns a
/// frame's address into the one addr2line wants with these alone.
#if UINTPTR_MAX > 0xFFFFFFFFu
typedef Elf64_Phdr program_header;
#else
typedef Elf32_Phdr program_header;
#endif

static void find_exe_code(void) {
    const program_header *phdr = (const program_header *)getauxval(AT_PHDR);
    unsigned long count = getauxval(AT_PHNUM);
    if (phdr == NULL || count == 0) return;
    int have_bias = 0;
    uintptr_t bias = 0;
    for (unsigned long i = 0; i < count; i++) {
        if (phdr[i].p_type == PT_PHDR) { bias = (uintptr_t)phdr - phdr[i].p_vaddr; have_bias = 1; }
    }
    if (!have_bias) return;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (unsigned long i = 0; i < count; i++) {
        if (phdr[i].p_type != PT_LOAD || !(phdr[i].p_flags & PF_X)) continue;
        uintptr_t start = bias + phdr[i].p_vaddr;
        if (start < lo) lo = start;
        if (start + phdr[i].p_memsz > hi) hi = start + phdr[i].p_memsz;
    }
    if (lo >= hi) return;
    state.exe_bias = bias;
    state.exe_code_lo = lo;
    state.exe_code_hi = hi;
    state.have_exe_code = 1;
}

void coclick_install_crash_handlers(void) {
    if (!state.crash_handlers_installed) {
        state.crash_handlers_installed = 1;
        // An alternate stack, so a stack overflow on the main thread still
        // restores the terminal (unless one is set up already).
        stack_t current;
        if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
            stack_t st;
            memset(&st, 0, sizeof st);
            st.ss_size = 256 * 1024;
            st.ss_sp = malloc(st.ss_size);
            if (st.ss_sp != NULL) sigaltstack(&st, NULL);
        }
        // The first backtrace() loads libgcc (malloc, dlopen): do it here, not in a handler.
        // glibc loads it before it looks at the size, so a size of 0 is enough, and
        // nothing is unwound: a real unwind would read the binary's unwind tables
        // (a binary search of 0.8 MiB) and keep 0.3 to 0.5 MiB of them resident.
        void *warm[1];
        (void)backtrace(warm, 0);
        find_exe_code();
    }
    for (int i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = crash_handler;
        // Every other signal blocked while the report is written; crash
        // signals not (SA_NODEFER), so a fault inside the report ends the
        // process at once instead of leaving it blocked.
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
        sigfillset(&sa.sa_mask);
        for (int j = 0; j < CRASH_SIGNAL_COUNT; j++) sigdelset(&sa.sa_mask, crash_signals[j]);
        // These replace the Swift runtime's own handlers (its backtracer),
        // which therefore never run: SIGQUIT from the keyboard or `kill`
        // respects an inherited SIG_IGN like the others.
        install_one(crash_signals[i], &sa, crash_signals[i] == SIGQUIT);
    }
}

int coclick_install_signal_handlers(void) {
    if (state.pipe_fds[0] < 0) {
        if (pipe(state.pipe_fds) != 0) return -1;
        for (int i = 0; i < 2; i++) {
            fcntl(state.pipe_fds[i], F_SETFD, FD_CLOEXEC);
            fcntl(state.pipe_fds[i], F_SETFL, fcntl(state.pipe_fds[i], F_GETFL) | O_NONBLOCK);
        }
    }
    coclick_install_crash_handlers();
    int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };
    for (int i = 0; i < 3; i++) install_simple(quit_signals[i], quit_handler, 0, 1);
    install_simple(SIGTSTP, pipe_handler, SA_RESTART, 1);
    install_simple(SIGCONT, pipe_handler, SA_RESTART, 0);
    install_simple(SIGWINCH, pipe_handler, SA_RESTART, 0);
    // Signals stay deliverable on this thread whatever the parent blocked.
    sigset_t set;
    sigemptyset(&set);
    int unblock[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH };
    for (int i = 0; i < 7; i++) sigaddset(&set, unblock[i]);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return state.pipe_fds[0];
}

int coclick_next_signal(void) {
    unsigned char b;
    ssize_t n = read(state.pipe_fds[0], &b, 1);
    return n == 1 ? (int)b : -1;
}

void coclick_stop_self(void) {
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

void coclick_name_this_thread(const char *name) {
    char short_name[16];
    snprintf(short_name, sizeof short_name, "%s", name);
    pthread_setname_np(pthread_self(), short_name);
}
