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
