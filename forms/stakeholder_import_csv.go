package forms

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// csvCtxEvery is how many records readCSV reads between two looks at its
// context.
const csvCtxEvery = 256

// readCSV returns the records of a CSV file and the spreadsheet row of each.
// The separator is the one the first line uses most (comma, semicolon or
// tab), since spreadsheets in many locales save with semicolons. The
// records' shapes are checked first (see csvShapes): encoding/csv holds a
// whole record, at about 40 bytes a field, before it returns it.
func readCSV(ctx context.Context, data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	sep := sniffSeparator(data)
	err := csvShapes(data, byte(sep), func(line, fields, longest int) error {
		switch {
		case fields > maxCSVFields:
			return fileProblem("line %d has more than %d columns (limit %d)", line, maxCSVFields, maxCSVFields)
		case longest > maxImportCellBytes:
			return fileProblem("line %d has a cell of more than %d bytes (limit %d)", line, maxImportCellBytes, maxImportCellBytes)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	var (
		rows    [][]string
		nums    []int
		row     int // spreadsheet row of the last record read
		endLine int // file line on which that record ended
	)
	for n := 1; ; n++ {
		if n%csvCtxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := endLine + 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, nil, fileProblem("the CSV cannot be read from line %d on: %v", line, errors.Unwrap(err))
		}
		start, _ := r.FieldPos(0)
		last, _ := r.FieldPos(len(rec) - 1)
		row += start - endLine // blank lines are rows too
		endLine = last + strings.Count(rec[len(rec)-1], "\n")
		if isBlank(rec) {
			continue
		}
		if len(rows) > MaxImportRows {
			return nil, nil, tooManyRows()
		}
		if len(rec) > maxImportColumns && !isBlank(rec[maxImportColumns:]) {
			return nil, nil, fileProblem("row %d has a value in column %d, beyond the %d columns read (limit %d)",
				row, maxImportColumns+1+firstValue(rec[maxImportColumns:]), maxImportColumns, maxImportColumns)
		}
		rows, nums = append(rows, clone(rec[:min(len(rec), maxImportColumns)])), append(nums, row)
	}
	return rows, nums, nil
}

// clone copies a record that the reader will reuse.
func clone(rec []string) []string { return append([]string(nil), rec...) }

// firstValue is the index of the first cell with visible content, or 0.
func firstValue(cells []string) int {
	for i, c := range cells {
		if strings.TrimSpace(c) != "" {
			return i
		}
	}
	return 0
}

// sniffSeparator picks the separator the first line uses most, outside quotes.
func sniffSeparator(data []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, b := range data {
		if b == '"' {
			quoted = !quoted
		}
		if !quoted && (b == '\n' || b == '\r') {
			break
		}
		if !quoted && (b == ',' || b == ';' || b == '\t') {
			counts[b]++
		}
	}
	best := byte(',')
	for _, b := range []byte{';', '\t'} {
		if counts[b] > counts[best] {
			best = b
		}
	}
	return rune(best)
}

// csvShapes walks data as encoding/csv reads it, with LazyQuotes and the
// single-byte separator sep, and calls each with every record's first line
// (from 1), its number of fields and the length of its longest field in
// bytes, stopping at each's first error. It allocates nothing, so that the
// shape of a hostile file is known before encoding/csv holds a record of a
// million fields. FuzzCSVShapes keeps it in step with encoding/csv.
func csvShapes(data []byte, sep byte, each func(line, fields, longest int) error) error {
	w := csvWalk{data: data}
	for {
		content, nl, ok := w.line()
		if !ok {
			return nil
		}
		if len(content) == 0 {
			continue // empty lines are no record
		}
		fields, longest := w.record(content, nl, sep)
		if err := each(w.start, fields, longest); err != nil {
			return err
		}
	}
}

// csvWalk is the position of csvShapes in the file.
type csvWalk struct {
	data  []byte
	lines int // lines read
	start int // first line of the current record
}

// line returns the next line without its end, as encoding/csv normalizes
// it ("\r\n" and a last "\r" dropped), whether a newline ended it, and
// false at the end of data.
func (w *csvWalk) line() (content []byte, nl, ok bool) {
	if len(w.data) == 0 {
		return nil, false, false
	}
	w.lines++
	i := bytes.IndexByte(w.data, '\n')
	if i < 0 {
		content, w.data = w.data, nil
	} else {
		content, w.data, nl = w.data[:i], w.data[i+1:], true
	}
	return bytes.TrimSuffix(content, []byte("\r")), nl, true
}

// record reads one record starting with the line content, and returns its
// number of fields and the length of its longest field.
func (w *csvWalk) record(content []byte, nl bool, sep byte) (fields, longest int) {
	w.start = w.lines
	for {
		fields++
		var n int
		var more bool
		if len(content) == 0 || content[0] != '"' {
			n, content, more = unquotedField(content, sep)
		} else {
			n, content, nl, more = w.quotedField(content[1:], nl, sep)
		}
		longest = max(longest, n)
		if !more {
			return fields, longest
		}
	}
}

// unquotedField reads a field up to the separator; more tells whether one
// followed.
func unquotedField(content []byte, sep byte) (n int, rest []byte, more bool) {
	i := bytes.IndexByte(content, sep)
	if i < 0 {
		return len(content), nil, false
	}
	return i, content[i+1:], true
}

// quotedField reads a field after its opening quote, over as many lines as
// it takes: the field's length, what follows it on its last line, and
// whether a separator followed.
func (w *csvWalk) quotedField(content []byte, nl bool, sep byte) (n int, rest []byte, restNL, more bool) {
	for {
		i := bytes.IndexByte(content, '"')
		switch {
		case i >= 0:
			n += i
			content = content[i+1:]
			switch {
			case len(content) > 0 && content[0] == '"': // `""`, a quote
				n++
				content = content[1:]
			case len(content) > 0 && content[0] == sep: // `",`, the field's end
				return n, content[1:], nl, true
			case len(content) == 0: // `"` and the line's end
				return n, nil, nl, false
			default: // a bare quote, kept
				n++
			}
		case len(content) > 0 || nl:
			n += len(content)
			if nl {
				n++ // the newline, kept in the field
			}
			var ok bool
			if content, nl, ok = w.line(); !ok {
				return n, nil, false, false
			}
		default: // the file's end
			return n, nil, false, false
		}
	}
}
