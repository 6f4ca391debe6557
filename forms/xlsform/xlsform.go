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
	"context"
	"io"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/xlsxlimit"
)

// Limits bound what Import reads, so that a hostile workbook cannot exhaust
// memory or time: the workbook is counted against them before it is read
// (forms/xlsxlimit), then read row by row. The zero value of a field means
// its default.
type Limits struct {
	// MaxFileBytes bounds the workbook file (default 10 MiB).
	MaxFileBytes int64
	// MaxUnzippedBytes bounds the sum of the uncompressed sizes of the
	// workbook's parts, which stops zip bombs (default 64 MiB).
	MaxUnzippedBytes int64
	// MaxParts bounds the number of files in the workbook archive (default 1,000).
	MaxParts int
	// MaxSheets bounds the sheets of the workbook (default 50).
	MaxSheets int
	// MaxSurveyRows bounds the non-blank rows of the survey sheet (default 5,000).
	MaxSurveyRows int
	// MaxChoiceRows bounds the non-blank rows of the choices sheet (default 20,000).
	// No sheet may have more than twice the larger of the two, blank rows included.
	MaxChoiceRows int
	// MaxColumns bounds the columns of any sheet (default 256).
	MaxColumns int
	// MaxCells bounds the cells of the whole workbook (default 1,000,000).
	MaxCells int
	// MaxCellBytes bounds the text of one cell (default 32 KiB).
	MaxCellBytes int
	// MaxSharedStrings bounds the entries of the workbook's shared-string
	// table (default 200,000).
	MaxSharedStrings int
	// MaxSharedStringBytes bounds their text, together (default 16 MiB).
	MaxSharedStringBytes int64
}

// DefaultLimits are the limits Import applies when Options.Limits leaves a
// field zero.
var DefaultLimits = Limits{
	MaxFileBytes:         10 << 20,
	MaxUnzippedBytes:     64 << 20,
	MaxParts:             1000,
	MaxSheets:            50,
	MaxSurveyRows:        5000,
	MaxChoiceRows:        20000,
	MaxColumns:           256,
	MaxCells:             1_000_000,
	MaxCellBytes:         32 << 10,
	MaxSharedStrings:     200_000,
	MaxSharedStringBytes: 16 << 20,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	return Limits{
		MaxFileBytes: or(l.MaxFileBytes, d.MaxFileBytes), MaxUnzippedBytes: or(l.MaxUnzippedBytes, d.MaxUnzippedBytes),
		MaxParts: or(l.MaxParts, d.MaxParts), MaxSheets: or(l.MaxSheets, d.MaxSheets),
		MaxSurveyRows: or(l.MaxSurveyRows, d.MaxSurveyRows), MaxChoiceRows: or(l.MaxChoiceRows, d.MaxChoiceRows),
		MaxColumns: or(l.MaxColumns, d.MaxColumns), MaxCells: or(l.MaxCells, d.MaxCells),
		MaxCellBytes: or(l.MaxCellBytes, d.MaxCellBytes), MaxSharedStrings: or(l.MaxSharedStrings, d.MaxSharedStrings),
		MaxSharedStringBytes: or(l.MaxSharedStringBytes, d.MaxSharedStringBytes),
	}
}

// or is v, or def when v is not positive.
func or[T int | int64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
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
// *forms.ValidationError. When ctx ends first, Import stops reading and
// returns ctx's error. Import never panics, whatever the input.
func Import(ctx context.Context, r io.Reader, opts Options) (def *forms.Definition, rep *Report, err error) {
	rep = &Report{Items: []Item{}}
	defer xlsxlimit.ReturnMemory()
	defer func() {
		if v := recover(); v != nil {
			// A bug of ours or of a library must not take the caller
			// down with it: the workbook is refused instead.
			rep.refuse(at{}, "the workbook could not be read (internal error: %v)", v)
			def, err = nil, &Error{Report: rep}
		}
	}()
	def = importWorkbook(ctx, r, opts, rep)
	rep.sort()
	if err := ctx.Err(); err != nil {
		return nil, rep, err
	}
	if rep.HasErrors() {
		return nil, rep, &Error{Report: rep}
	}
	return def, rep, nil
}

// importWorkbook does Import's work, recording every problem in rep.
func importWorkbook(ctx context.Context, r io.Reader, opts Options, rep *Report) *forms.Definition {
	lim := opts.Limits.withDefaults()
	wb, ok := openWorkbook(ctx, r, lim, rep)
	if !ok {
		return nil
	}
	defer wb.close()
	if !wb.readSheets(ctx, rep) {
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
