#ifndef COCLICK_CSIGNALS_H
#define COCLICK_CSIGNALS_H

// The process's signal handling while the dashboard owns the terminal.
// The handlers are C because they run where no Swift code may: they use
// only async-signal-safe calls. The state they share lives in CSignals.c.

#include <stddef.h>

/// Before the terminal is taken over: remember the shell's tty modes.
void coclick_save_shell_mode(void);

/// The bytes that give the screen back (looked up in terminfo beforehand:
/// terminfo must not be read inside a handler). At most 500 bytes are kept.
void coclick_set_restore_sequence(const char *bytes, size_t length);

/// Whether the terminal is ours and needs restoring when the process dies.
void coclick_set_active(int on);

/// Where a crash's report goes: a new file `directory`/crash-<UTC time>.txt
/// (0600) with the crashing thread's frames, named in one line on stderr.
/// NULL: no report (the terminal is still restored).
void coclick_set_crash_report(const char *directory);

/// QUIT/SEGV/BUS/ABRT/ILL/FPE/TRAP/SYS: restore the terminal (once it is
/// ours), write the crash report, then die of the signal by its default
/// action. They replace the Swift runtime's handlers, so its backtracer never
/// runs (nor prompts). Call as early as possible; installing again is harmless.
void coclick_install_crash_handlers(void);

/// Installs every handler (before newterm, so ncurses leaves them alone):
/// the crash handlers above; INT/TERM/HUP: restore the terminal and die of
/// the signal. TSTP/CONT/WINCH are queued on a self-pipe.
/// Returns the read end of that pipe, or -1.
int coclick_install_signal_handlers(void);

/// Helper programs (clipboard, browser) run in process groups of their own.
/// A group is recorded while its program runs, so that coclick's exit, or
/// its death by INT/TERM/HUP or a crash, ends it too (SIGKILL to the group).
/// Returns 0, or -1 when every slot is taken (the program runs unrecorded).
int coclick_helper_started(int pgid);

/// The program of `pgid` has ended (or was killed): forget its group.
void coclick_helper_ended(int pgid);

/// SIGKILL to every recorded group (async-signal-safe).
void coclick_end_helpers(void);

/// The next signal number queued on the self-pipe, or -1.
int coclick_next_signal(void);

/// Ctrl-Z: stop the way the shell expects, and take our handler back once continued.
void coclick_stop_self(void);

/// Names the calling thread (what /proc/PID/task/TID/comm shows), cut to
/// the 15 bytes Linux keeps.
void coclick_name_this_thread(const char *name);

#endif
