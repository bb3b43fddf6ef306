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


// Attribute and colour-pair macros are not imported into Swift.
static inline attr_t coclick_a_normal(void) { return A_NORMAL; }
static inline attr_t coclick_a_bold(void) { return A_BOLD; }
static inline attr_t coclick_a_underline(void) { return A_UNDERLINE; }
static inline attr_t coclick_a_reverse(void) { return A_REVERSE; }
static inline int coclick_key_code_yes(void) { return KEY_CODE_YES; }
static inline int coclick_key_f0(void) { return KEY_F0; }

// newterm instead of initscr: initscr exits the process on an unknown TERM.
static inline SCREEN *coclick_newterm(void) { return newterm(NULL, stdout, stdin); }

// 1 when the terminal (after newterm) can move the cursor: terminfo `cup`.
// TERM=dumb and the like cannot, and the dashboard would stay blank there.
static inline int coclick_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1 && cup[0] != 0;
}

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

// A terminfo string capability, or NULL when the terminal has none.
static inline const char *coclick_terminfo_string(const char *name) {
    const char *v = tigetstr(name);
    return (v == NULL || v == (char *)-1) ? NULL : v;
}

/// The tty hung up or went away: poll says so without reading.
#include <poll.h>
static inline int coclick_stdin_gone(void) {
    struct pollfd p = { .fd = 0, .events = POLLIN, .revents = 0 };
    if (poll(&p, 1, 0) < 0) return 0;
    return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

#endif
