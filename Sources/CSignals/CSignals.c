// Signal handling for the dashboard. Everything reachable from a handler is
// async-signal-safe: write, open, close, dup, dup2, rename, link, unlink,
// stat, umask, tcsetattr, sigaction, sigprocmask, raise, clock_gettime,
// _exit. (backtrace() is warmed up at install time, so it does not load
// libgcc inside a handler.)

#define _GNU_SOURCE
#include "CSignals.h"

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIGNAL 65

static const int crash_signals[] = { SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP, SIGSYS };
#define CRASH_SIGNAL_COUNT 8

static struct {
    volatile sig_atomic_t active;       // the terminal is ours and needs restoring
    volatile sig_atomic_t reporter;     // the thread writing a crash report (0: none)
    int have_shell_mode;
    struct termios shell_mode;          // the tty modes before we started
    char restore_seq[512];              // CAN sgr0 cnorm rmkx rmcup
    size_t restore_len;
    int pipe_fds[2];                    // self-pipe: TSTP, CONT, WINCH -> main queue
    struct sigaction previous[MAX_SIGNAL];
    char crash_dir[1024];               // empty: no crash report
    char crash_tmp[1100];
    int backtracer;
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

void coclick_set_crash_report(const char *directory, const char *tmp_path, int backtracer) {
    state.crash_dir[0] = 0;
    state.crash_tmp[0] = 0;
    if (directory == NULL || tmp_path == NULL) return;
    if (strlen(directory) >= sizeof state.crash_dir || strlen(tmp_path) >= sizeof state.crash_tmp) return;
    strcpy(state.crash_dir, directory);
    strcpy(state.crash_tmp, tmp_path);
    state.backtracer = backtracer;
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

/// Without the runtime's backtracer: the raw frames (module+offset), which
/// addr2line or llvm-symbolizer turn into source lines later.
static void write_own_backtrace(int sig) {
    int fd = open(state.crash_tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return;
    write_str(fd, "coclick ended by ");
    write_str(fd, signal_name(sig));
    write_str(fd, " (Swift's backtracer was not available; raw frames follow)\n\n");
    void *frames[128];
    int n = backtrace(frames, 128);
    backtrace_symbols_fd(frames, n, fd);
    // How to name them: the binary keeps its debug information, and an offset after
    // "coclick(+" is an address in it (readlink is async-signal-safe).
    char exe[1024];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = 0;
        write_str(fd, "\nNames and source lines: addr2line -Cfpe ");
        write_str(fd, exe);
        write_str(fd, " followed by the +0x offsets of its frames above\n(then swift demangle for Swift names).\n");
    }
    close(fd);
}

/// Runs the previous (runtime) handler for a crash signal with stderr
/// silenced: its "Backtracing..." line would be a second line on stderr.
static void run_backtracer(int sig, siginfo_t *info, void *context) {
    struct sigaction old = state.previous[sig];
    if (!(old.sa_flags & SA_SIGINFO) || old.sa_sigaction == NULL) return;
    if (old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN) return;
    // Its memory-reading thread inherits this mask and must be able to fault.
    sigset_t crash_set;
    sigemptyset(&crash_set);
    for (int i = 0; i < CRASH_SIGNAL_COUNT; i++) sigaddset(&crash_set, crash_signals[i]);
    pthread_sigmask(SIG_UNBLOCK, &crash_set, NULL);
    int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    int saved_err = dup(2);
    if (null_fd >= 0) dup2(null_fd, 2);
    old.sa_sigaction(sig, info, context);
    if (saved_err >= 0) { dup2(saved_err, 2); close(saved_err); }
    if (null_fd >= 0) close(null_fd);
}

/// The backtrace into crash-<time>.txt (0600), and one line on stderr naming it.
static void write_crash_report(int sig, siginfo_t *info, void *context) {
    if (state.crash_dir[0] == 0) return;
    // Nothing more reaches the screen: a thread still drawing would write over the shell.
    int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null_fd >= 0) { dup2(null_fd, 1); close(null_fd); }
    umask(077);
    unlink(state.crash_tmp);
    if (state.backtracer) run_backtracer(sig, info, context);
    struct stat st;
    if (stat(state.crash_tmp, &st) != 0 || st.st_size == 0) {
        unlink(state.crash_tmp);
        write_own_backtrace(sig);
    }
    char final_path[1200];
    crash_file_name(final_path, sizeof final_path, "");
    if (link(state.crash_tmp, final_path) != 0) {
        // Two crashes in one second: the pid tells them apart.
        char suffix[32];
        size_t len = 0;
        suffix[0] = 0;
        append(suffix, sizeof suffix, &len, "-");
        append_uint(suffix, sizeof suffix, &len, (unsigned long)getpid(), 1);
        crash_file_name(final_path, sizeof final_path, suffix);
        if (link(state.crash_tmp, final_path) != 0) return;
    }
    unlink(state.crash_tmp);
    char line[1400];
    size_t len = 0;
    line[0] = 0;
    append(line, sizeof line, &len, "coclick: ended by ");
    append(line, sizeof line, &len, signal_name(sig));
    append(line, sizeof line, &len, "; backtrace in ");
    append(line, sizeof line, &len, final_path);
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
    write_crash_report(sig, info, context);
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

static int install_one(int sig, struct sigaction *sa, int keep_ignored) {
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) return -1;
    // Respect an inherited SIG_IGN (nohup, background jobs of a non-interactive shell).
    if (keep_ignored && !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN) return 0;
    // Installing twice must not make our own handler the "previous" one.
    if (!((old.sa_flags & SA_SIGINFO) ? old.sa_sigaction == crash_handler
                                      : (old.sa_handler == quit_handler || old.sa_handler == pipe_handler)))
        state.previous[sig] = old;
    return sigaction(sig, sa, NULL);
}

static void install_simple(int sig, void (*handler)(int), int flags, int keep_ignored) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    install_one(sig, &sa, keep_ignored);
}

int coclick_install_signal_handlers(void) {
    if (state.pipe_fds[0] < 0) {
        if (pipe(state.pipe_fds) != 0) return -1;
        for (int i = 0; i < 2; i++) {
            fcntl(state.pipe_fds[i], F_SETFD, FD_CLOEXEC);
            fcntl(state.pipe_fds[i], F_SETFL, fcntl(state.pipe_fds[i], F_GETFL) | O_NONBLOCK);
        }
        // An alternate stack, so a stack overflow still restores the terminal
        // (unless the runtime already set one up).
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
    }
    int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };
    for (int i = 0; i < 3; i++) install_simple(quit_signals[i], quit_handler, 0, 1);
    for (int i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = crash_handler;
        // As the runtime's own handler: every other signal blocked, crash
        // signals not (its memory-reading thread must be able to fault
        // safely, and a fault inside the report must end the process).
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
        sigfillset(&sa.sa_mask);
        for (int j = 0; j < CRASH_SIGNAL_COUNT; j++) sigdelset(&sa.sa_mask, crash_signals[j]);
        // SIGQUIT from the keyboard or `kill` respects an inherited SIG_IGN like the others.
        install_one(crash_signals[i], &sa, crash_signals[i] == SIGQUIT);
    }
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

// MARK: The main queue, drained by the main thread's own loop

#if defined(__linux__)
// swift-corelibs-libdispatch's hooks for a run loop that owns the main thread
// (Foundation's RunLoop uses them the same way); dispatch_runloop_handle_t is
// an int (an eventfd) on Linux.
extern int _dispatch_get_main_queue_port_4CF(void);
extern void _dispatch_main_queue_callback_4CF(void *msg);

int coclick_main_queue_fd(void) { return _dispatch_get_main_queue_port_4CF(); }

void coclick_drain_main_queue(void) {
    uint64_t count;
    // Reset the eventfd first, so work queued while draining wakes the loop again.
    ssize_t r = read(_dispatch_get_main_queue_port_4CF(), &count, sizeof count);
    (void)r;
    _dispatch_main_queue_callback_4CF(NULL);
}
#else
int coclick_main_queue_fd(void) { return -1; }
void coclick_drain_main_queue(void) {}
#endif

// MARK: SWIFT_BACKTRACE before the runtime reads it

// The Swift runtime reads SWIFT_BACKTRACE once, in a static initializer of
// its own (Backtrace.cpp). When the runtime is linked into the binary
// (--static-swift-stdlib), that initializer sits in the same .init_array as
// this constructor, and priority 101 runs first: setting the variable here
// spares the dashboard the exec of itself that CrashReporting.prepare()
// otherwise does (half of its start-up). With a shared libswiftCore.so the
// runtime is initialised before the executable's constructors, so this one
// does nothing and prepare() keeps the re-exec.
//
// The setting must equal CrashReporting.settings(outputTo:) byte for byte;
// prepare() compares the two and falls back to the re-exec when they differ.

#include <link.h>

static int backtrace_preset;

// The Swift runtime's own override of CommandLine's argv (libswiftCore,
// exported; Swift calling convention).
extern void _swift_stdlib_overrideUnsafeArgvArgc(char **argv, int argc) __attribute__((swiftcall));

int coclick_backtrace_preset(void) { return backtrace_preset; }

static int find_shared_swift_core(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size; (void)data;
    return info->dlpi_name && strstr(info->dlpi_name, "libswiftCore.so") != NULL;
}

// Whether argv names the dashboard (the default command) or demo: global
// options first (as CommandLineShape allows), then no command, an option of
// the dashboard's, `dashboard` or `demo`. --help and --version are not.
int coclick_is_dashboard_command(int argc, char **argv) {
    static const char *const value_options[] = {
        "--api-url", "--config", "--profile", "--timeout", "--log-file", "--theme", "--me", NULL
    };
    int i = 1;
    while (i < argc) {
        const char *a = argv[i];
        int takes_value = 0;
        for (const char *const *o = value_options; *o; o++) {
            if (strcmp(a, *o) == 0) { takes_value = 1; break; }
            size_t n = strlen(*o);
            if (strncmp(a, *o, n) == 0 && a[n] == '=') { takes_value = 2; break; }
        }
        if (takes_value == 1) { i += 2; continue; }
        if (takes_value == 2 || strcmp(a, "--allow-insecure-http") == 0) { i += 1; continue; }
        break;
    }
    if (i >= argc) return 1;
    const char *a = argv[i];
    if (strcmp(a, "dashboard") == 0 || strcmp(a, "demo") == 0) return 1;
    if (a[0] != '-') return 0;
    for (int j = i; j < argc; j++) {
        if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0
            || strcmp(argv[j], "--version") == 0 || strcmp(argv[j], "--help-hidden") == 0) return 0;
    }
    return 1;
}

int coclick_backtrace_setting(char *out, size_t cap, const char *dir, int pid) {
    if (strchr(dir, ',') != NULL) return 0;               // SWIFT_BACKTRACE cannot carry it
    int n = snprintf(out, cap,
                     "enable=yes,interactive=no,color=no,timeout=0s,registers=none,warnings=suppressed,output-to=%s/.crash-%d.tmp",
                     dir, pid);
    return n > 0 && (size_t)n < cap;
}

__attribute__((constructor(101)))
static void coclick_preset_backtrace(int argc, char **argv, char **envp) {
    (void)envp;
    if (getenv("SWIFT_BACKTRACE") != NULL) return;       // the user's, or an exec'd parent's: prepare() decides
    if (dl_iterate_phdr(find_shared_swift_core, NULL)) return;  // too late: the runtime has read it
    if (argv == NULL || !coclick_is_dashboard_command(argc, argv)) return;
    // DraftStore.defaultDirectory: $XDG_STATE_HOME/coclick (absolute only), else $HOME/.local/state/coclick.
    char dir[1024];
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/') n = snprintf(dir, sizeof dir, "%s/coclick", xdg);
    else if (home && home[0]) n = snprintf(dir, sizeof dir, "%s/.local/state/coclick", home);
    else return;
    if (n <= 0 || (size_t)n >= sizeof dir) return;
    // A folder that is not this user's alone gets no crash report (as
    // PrivateFile.refusal(ofDirectory:) says for the drafts kept there).
    struct stat info;
    if (stat(dir, &info) == 0
        && (!S_ISDIR(info.st_mode) || info.st_uid != geteuid() || (info.st_mode & 022) != 0)) return;
    char value[1400];
    if (!coclick_backtrace_setting(value, sizeof value, dir, (int)getpid())) return;
    if (setenv("SWIFT_BACKTRACE", value, 1) != 0) return;
    backtrace_preset = 1;
    // setenv has moved environ from the initial stack to the heap. The
    // runtime finds argv (CommandLine.arguments, ProcessInfo.arguments) by
    // walking back from environ to argc on that stack (CommandLine.cpp's
    // ArgvGrabber, a static initializer that runs after this one): it would
    // find nothing, and every command would run as a bare `coclick`
    // ("no API key configured" from `coclick demo`). Hand the runtime argv
    // itself, through the override it keeps for that.
    _swift_stdlib_overrideUnsafeArgvArgc(argv, argc);
}

void coclick_name_this_thread(const char *name) {
    char short_name[16];
    snprintf(short_name, sizeof short_name, "%s", name);
    pthread_setname_np(pthread_self(), short_name);
}
