// Package xlsxlimit checks an uploaded .xlsx workbook against limits
// before a spreadsheet library reads it, so that a small file that unpacks
// to millions of shared strings, rows or cells, or to a gigabyte of zeros,
// is refused with a sentence saying which limit it exceeds instead of
// filling memory for minutes.
//
// Check reads the zip archive's directory and then every XML part as a
// stream of tokens, counting as it goes and stopping at the first limit
// passed: it never holds a part, only a few kilobytes of buffers and one
// token (itself bounded, see Limits.MaxCellBytes). Open checks a workbook
// and then opens it with excelize, and Workbook.Rows reads its sheets row
// by row, raw, within a budget of text and until the context ends. The
// stakeholder import and the XLSForm import both read workbooks this way.
package xlsxlimit

import (
	"fmt"
	"strconv"
	"strings"
)

// Limits bound what a workbook may hold. Every field must be positive;
// Defaults holds values generous for real registries and forms.
type Limits struct {
	// MaxParts bounds the files of the zip archive.
	MaxParts int
	// MaxUnzippedBytes bounds the sizes the parts declare, together; the
	// zip reader refuses a part that unpacks to more than it declares.
	MaxUnzippedBytes int64
	// MaxSheets bounds the sheets of the workbook.
	MaxSheets int
	// MaxRows bounds the rows of one worksheet, counting the empty rows a
	// workbook writes for their formatting.
	MaxRows int
	// MaxColumns bounds the column of a cell with a value (1 is A).
	MaxColumns int
	// MaxCells bounds the cells of the whole workbook, with or without a
	// value.
	MaxCells int
	// MaxCellBytes bounds the text of one cell (value or formula) and of
	// one shared string.
	MaxCellBytes int
	// MaxSharedStrings bounds the entries of the shared-string table,
	// which excelize reads whole into memory.
	MaxSharedStrings int
	// MaxSharedStringBytes bounds the text of all shared strings together.
	MaxSharedStringBytes int64
	// MaxSharedStringElements bounds the XML elements of the shared-string
	// table: a plain entry has two, a rich text some more a run.
	MaxSharedStringElements int
	// MaxElements bounds the XML elements of all parts together, which
	// bounds the time any reader spends on them.
	MaxElements int
	// MaxPartElements bounds the XML elements of one part other than a
	// worksheet or the shared strings: excelize reads such parts (styles,
	// workbook, relationships) whole into memory, at up to 400 bytes an
	// element.
	MaxPartElements int
	// MaxTextBytes bounds the text of all the cells Workbook.Rows reads,
	// together: what an importer may end up holding (a shared string is
	// counted each time a cell shows it).
	MaxTextBytes int64
}

// Defaults are limits for workbooks people make by hand: a few sheets, at
// most tens of thousands of rows. An importer changes the rows and columns
// it reads. docs/RELIABILITY.md records what workbooks at these limits
// take to read.
var Defaults = Limits{
	MaxParts:                1000,
	MaxUnzippedBytes:        64 << 20,
	MaxSheets:               50,
	MaxRows:                 100_000,
	MaxColumns:              256,
	MaxCells:                1_000_000,
	MaxCellBytes:            32 << 10,
	MaxSharedStrings:        200_000,
	MaxSharedStringBytes:    16 << 20,
	MaxSharedStringElements: 500_000,
	MaxElements:             4_000_000,
	MaxPartElements:         100_000,
	MaxTextBytes:            32 << 20,
}

// Bounds that no real workbook comes near, so they are not settings.
const (
	// maxCellElements bounds the elements inside one cell or one shared
	// string: a rich text of a few runs has tens.
	maxCellElements = 1000
	// maxDepth bounds the nesting of XML elements; a worksheet nests six.
	maxDepth = 64
	// minRunBytes is the least a text or tag may take before the guard
	// stops it (see runGuard), whatever MaxCellBytes is.
	minRunBytes = 1 << 20
)

// Error is a limit a workbook exceeds, with where it does when that is
// known. Message says what the file has and the limit; Error adds the
// sheet and the cell.
type Error struct {
	// Limit names the field of Limits exceeded ("MaxSharedStrings"), or
	// the fixed bound ("cell elements", "depth", "text length").
	Limit string
	// Part is the archive's file the limit was found in; "" for the
	// archive as a whole.
	Part string
	// Sheet is the worksheet's name in the workbook, when known.
	Sheet string
	// Row and Column locate the cell, from 1; zero when not in a cell or
	// a row.
	Row, Column int
	Message     string
}

// Cell names the cell of the error as a spreadsheet does ("B7"), or "".
func (e *Error) Cell() string {
	if e.Row == 0 || e.Column == 0 {
		return ""
	}
	return ColumnName(e.Column) + strconv.Itoa(e.Row)
}

// Error is the message with the sheet and cell before it, as a person
// reading an import's report wants it.
func (e *Error) Error() string {
	var where []string
	if e.Sheet != "" {
		where = append(where, fmt.Sprintf("sheet %q", e.Sheet))
	}
	if cell := e.Cell(); cell != "" {
		where = append(where, "cell "+cell)
	} else if e.Row > 0 {
		where = append(where, "row "+strconv.Itoa(e.Row))
	}
	if len(where) == 0 {
		return e.Message
	}
	return strings.Join(where, ", ") + ": " + e.Message
}

// UnreadableError is a workbook that is not a readable zip archive of XML
// parts: a broken archive, a part that unpacks to more than it declares,
// XML that is not well formed.
type UnreadableError struct {
	Part string // "" for the archive itself
	Err  error
}

// Error names the part and what is wrong with it.
func (e *UnreadableError) Error() string {
	if e.Part == "" {
		return e.Err.Error()
	}
	return e.Part + ": " + e.Err.Error()
}

// Unwrap returns the zip or XML reader's error.
func (e *UnreadableError) Unwrap() error { return e.Err }

// Counts are what Check found in a workbook it accepted.
type Counts struct {
	Parts             int
	UnzippedBytes     int64 // as the parts declare
	Sheets            int
	Rows              int // of the worksheet with the most
	Cells             int
	SharedStrings     int
	SharedStringBytes int64
	Elements          int
}

// ColumnName names a column from 1 as a spreadsheet does: 1 is A, 27 AA.
func ColumnName(n int) string {
	var name []byte
	for ; n > 0; n = (n - 1) / 26 {
		name = append([]byte{byte('A' + (n-1)%26)}, name...)
	}
	return string(name)
}

// thousands writes n with thousands separators: 200,000.
func thousands[T ~int | ~int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// size writes a byte count as people read it: 64 MiB, 1.5 MiB, 32 KiB.
func size(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.TrimSuffix(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".0") + " MiB"
	case n >= 1<<10:
		return strings.TrimSuffix(strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64), ".0") + " KiB"
	}
	return thousands(n) + " bytes"
}
