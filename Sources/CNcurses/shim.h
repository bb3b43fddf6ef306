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

#endif
