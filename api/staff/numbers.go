package staff

import (
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// numberFormat writes numbers as the page's language does: 1,234.5 in
// English, 1 234,5 in French, 12.345,5 in Spanish (CLDR's rules, from
// x/text), so that a figure reads the same in a table, a chart and a note.
type numberFormat struct{ printer *message.Printer }

// staffPrinters are the number printers of the staff languages.
var staffPrinters = func() map[string]*message.Printer {
	m := map[string]*message.Printer{}
	for _, l := range staffLanguages {
		m[l] = message.NewPrinter(language.Make(l))
	}
	return m
}()

// newNumberFormat formats numbers in lang; an unknown language is English.
func newNumberFormat(lang string) numberFormat {
	if p, ok := staffPrinters[lang]; ok {
		return numberFormat{p}
	}
	return numberFormat{staffPrinters["en"]}
}

// Int writes a count.
func (f numberFormat) Int(n int) string { return f.printer.Sprint(number.Decimal(n)) }

// Dec writes v with exactly places decimals.
func (f numberFormat) Dec(v float64, places int) string {
	return f.printer.Sprint(number.Decimal(v, number.Scale(places)))
}

// Num writes v with the decimals it needs (at most three).
func (f numberFormat) Num(v float64) string { return f.printer.Sprint(number.Decimal(v)) }

// Num writes a count in the page's language, for templates: {{.Num 1234}}.
func (p *staffPage) Num(n int) string { return newNumberFormat(p.Lang).Int(n) }
