package exports

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+1 234", "'+1 234"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"\nx", "'\nx"},
		{"a=b", "a=b"},
		{"مرحبا", "مرحبا"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := SafeText(tc.in); got != tc.want {
				t.Errorf("SafeText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	long := SafeText(strings.Repeat("é", MaxCellRunes+10))
	if n := utf8.RuneCountInString(long); n != MaxCellRunes || !strings.HasSuffix(long, truncationMarker) {
		t.Errorf("long text: %d runes, suffix %q", n, long[len(long)-20:])
	}
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{}
	cases := []struct{ in, want string }{
		{"Summary", "Summary"},
		{"summary", "summary (2)"},
		{"UNTOC: C1 [draft]/v2?*", "UNTOC_ C1 _draft__v2__"},
		{"", "Sheet"},
		{"'quoted'", "quoted"},
		{strings.Repeat("x", 40), strings.Repeat("x", 31)},
		{strings.Repeat("x", 40), strings.Repeat("x", 27) + " (2)"},
	}
	for _, tc := range cases {
		got := SheetName(tc.in, used)
		if got != tc.want || utf8.RuneCountInString(got) > 31 {
			t.Errorf("SheetName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
