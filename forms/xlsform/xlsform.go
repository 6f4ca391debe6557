// Package xlsform imports and exports questionnaires as XLSForm workbooks,
// the spreadsheet format of ODK and KoboToolbox: a "survey" sheet with one
// row a question, a "choices" sheet with the options of select questions
// and a "settings" sheet. Import turns a workbook into a draft
// forms.Definition and reports, row by row, everything it converted, skipped
// or refused; Export writes a Definition back as a workbook that Import
// reads into the same Definition. docs/xlsform.md is the user's guide.
//
// The package knows nothing of HTTP or of the database: callers store the
// definition Import returns.
package xlsform

import (
	"io"

	"github.com/unodc-csu/agora/forms"
)

// Limits bound what Import reads, so that a hostile workbook cannot exhaust
// memory or time. The zero value of a field means its default.
type Limits struct {
	// MaxFileBytes bounds the workbook file (default 10 MiB).
	MaxFileBytes int64
	// MaxUnzippedBytes bounds the sum of the uncompressed sizes of the
	// workbook's parts, which stops zip bombs (default 64 MiB).
	MaxUnzippedBytes int64
	// MaxParts bounds the number of files in the workbook archive (default 1,000).
	MaxParts int
	// MaxSurveyRows bounds the non-blank rows of the survey sheet (default 5,000).
	MaxSurveyRows int
	// MaxChoiceRows bounds the non-blank rows of the choices sheet (default 20,000).
	MaxChoiceRows int
	// MaxColumns bounds the columns of any sheet (default 256).
	MaxColumns int
	// MaxCellBytes bounds the text of one cell (default 32 KiB).
	MaxCellBytes int
}

// DefaultLimits are the limits Import applies when Options.Limits leaves a
// field zero.
var DefaultLimits = Limits{
	MaxFileBytes:     10 << 20,
	MaxUnzippedBytes: 64 << 20,
	MaxParts:         1000,
	MaxSurveyRows:    5000,
	MaxChoiceRows:    20000,
	MaxColumns:       256,
	MaxCellBytes:     32 << 10,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxFileBytes > 0 {
		d.MaxFileBytes = l.MaxFileBytes
	}
	if l.MaxUnzippedBytes > 0 {
		d.MaxUnzippedBytes = l.MaxUnzippedBytes
	}
	if l.MaxParts > 0 {
		d.MaxParts = l.MaxParts
	}
	if l.MaxSurveyRows > 0 {
		d.MaxSurveyRows = l.MaxSurveyRows
	}
	if l.MaxChoiceRows > 0 {
		d.MaxChoiceRows = l.MaxChoiceRows
	}
	if l.MaxColumns > 0 {
		d.MaxColumns = l.MaxColumns
	}
	if l.MaxCellBytes > 0 {
		d.MaxCellBytes = l.MaxCellBytes
	}
	return d
}

// Options tune an import. The zero value is usable.
type Options struct {
	// ThemeKnown tells whether a theme code of the "themes" column exists,
	// as for forms.Compile; nil accepts every code.
	ThemeKnown func(code string) bool
	// Code is the questionnaire code when the settings sheet has no
	// form_id, typically derived from the file name.
	Code string
	// Kind is the questionnaire kind when the settings sheet has no "kind"
	// column; default forms.KindOther.
	Kind string
	// DefaultLanguage is the language of columns without a language
	// (plain "label") when the settings sheet has no default_language;
	// default "en".
	DefaultLanguage string
	// Limits bound what is read.
	Limits Limits
}

// Import reads an XLSForm workbook (.xlsx) into a questionnaire definition,
// validated with forms.Compile against opts.ThemeKnown. The report lists,
// with sheet, row and column, everything that was converted, skipped or
// refused; it is never nil. When anything is refused the definition is nil
// and the error is an *Error carrying the report, which unwraps to a
// *forms.ValidationError. Import never panics, whatever the input.
func Import(r io.Reader, opts Options) (def *forms.Definition, rep *Report, err error) {
	rep = &Report{Items: []Item{}}
	defer func() {
		if v := recover(); v != nil {
			// A bug of ours or of a library must not take the caller
			// down with it: the workbook is refused instead.
			rep.refuse(at{}, "the workbook could not be read (internal error: %v)", v)
			def, err = nil, &Error{Report: rep}
		}
	}()
	def = importWorkbook(r, opts, rep)
	rep.sort()
	if rep.HasErrors() {
		return nil, rep, &Error{Report: rep}
	}
	return def, rep, nil
}

// importWorkbook does Import's work, recording every problem in rep.
func importWorkbook(r io.Reader, opts Options, rep *Report) *forms.Definition {
	lim := opts.Limits.withDefaults()
	wb, ok := openWorkbook(r, lim, rep)
	if !ok {
		return nil
	}
	defer wb.close()
	if !wb.readSheets(rep) {
		return nil
	}
	b := newBuilder(wb, opts, rep)
	def := b.build()
	if def == nil || rep.NothingToAsk() {
		return nil
	}
	// Compiled even when the rows had problems, so that the report lists
	// every one at once.
	if _, err := forms.Compile(def, opts.ThemeKnown); err != nil {
		b.reportCompile(err)
		return nil
	}
	if rep.HasErrors() {
		return nil
	}
	return def
}
