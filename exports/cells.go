// Package exports writes Agora's Excel workbooks — the focal point's
// consultation workbook, the CSU's comparisons, the mail-merge list of
// personal links — and runs them as background jobs. Every text that comes
// from users is written so that a spreadsheet program shows it and never
// evaluates it.
package exports

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxCellRunes is the most characters an Excel cell holds.
const MaxCellRunes = 32767

// truncationMarker ends a text that was too long for one cell.
const truncationMarker = " […truncated]"

// SafeText neutralizes a user-supplied text for a cell: a text that a
// spreadsheet program could read as a formula (leading =, +, -, @, tab, CR,
// LF) gets a leading apostrophe, the convention that marks a cell as text;
// a text longer than a cell holds is cut with a visible marker.
func SafeText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		s = "'" + s
	}
	if utf8.RuneCountInString(s) > MaxCellRunes {
		limit := MaxCellRunes - utf8.RuneCountInString(truncationMarker)
		var b strings.Builder
		n := 0
		for _, r := range s {
			if n == limit {
				break
			}
			b.WriteRune(r)
			n++
		}
		s = b.String() + truncationMarker
	}
	return s
}

// SheetName makes a valid, unique sheet name from s: at most 31
// characters, none of : \ / ? * [ ], not empty, not starting or ending with
// an apostrophe, and different from every name in used (compared without
// case, as Excel does). The chosen name is added to used.
func SheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			return '_'
		}
		if r < ' ' {
			return -1
		}
		return r
	}, s)
	s = strings.Trim(strings.TrimSpace(s), "'")
	if s == "" {
		s = "Sheet"
	}
	base := truncateRunes(s, 31)
	name := base
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := " (" + strconv.Itoa(i) + ")"
		name = truncateRunes(base, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func itoa(n int) string { return strconv.Itoa(n) }

// Neutralize prepares a user-supplied text for a cell of a workbook that
// marks risky cells itself: it returns the text cut to what a cell holds
// (with a visible marker) and whether it starts with a character a
// spreadsheet program could read as a formula (=, +, -, @, tab, CR, LF).
// Such a text is written as a string cell with the "quote prefix" and the
// text number format — Excel's own form of a leading apostrophe — so that it
// shows exactly as typed and stays text when the cell is edited.
func Neutralize(s string) (string, bool) {
	if s == "" {
		return s, false
	}
	risky := strings.ContainsRune("=+-@\t\r\n", rune(s[0]))
	if utf8.RuneCountInString(s) > MaxCellRunes {
		limit := MaxCellRunes - utf8.RuneCountInString(truncationMarker)
		s = string([]rune(s)[:limit]) + truncationMarker
	}
	return s, risky
}
