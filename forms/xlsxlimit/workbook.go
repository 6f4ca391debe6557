package xlsxlimit

import (
	"bytes"
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/xuri/excelize/v2"
)

// ctxEvery is how many rows Rows reads between two looks at its context:
// often enough to stop within milliseconds, rarely enough to cost nothing.
const ctxEvery = 256

// inMemoryPartBytes is the largest part excelize keeps in memory; a larger
// worksheet is unpacked to a temporary file and read from there.
const inMemoryPartBytes = 16 << 20

// opened holds a token while a workbook is open in this process. Check
// bounds what one workbook may take to read (about 200 MB for one crafted
// to sit at every default limit, see docs/RELIABILITY.md); reading one at
// a time bounds the process, so that uploads sent together wait for each
// other instead of adding up. Their checks, which hold nothing, run
// meanwhile.
var opened = make(chan struct{}, 1)

// largeBytes is the size, unpacked or read, past which a workbook is worth
// giving memory back for once it is dropped.
const largeBytes = 8 << 20

// large is set when a workbook past largeBytes is closed; ReturnMemory
// clears it.
var large atomic.Bool

// ReturnMemory gives the operating system back the memory freed since a
// large workbook was read, if one was: the importers call it when they are
// done with a file. The Go runtime would return it by itself, but only
// minutes later; an import is rare enough to pay for a collection.
func ReturnMemory() {
	if large.Swap(false) {
		debug.FreeOSMemory()
	}
}

// Workbook is a workbook Check accepted, opened with excelize, whose rows
// are read through Rows: raw cell values, and a budget on the text they
// add up to.
type Workbook struct {
	// File is the excelize workbook, for its sheet list; read its rows
	// with Rows, not File.Rows.
	File     *excelize.File
	lim      Limits
	unzipped int64 // bytes of the parts, unpacked
	text     int64 // bytes of cell text read so far, all sheets together
	once     sync.Once
}

// Open checks data with Check and, when it passes, opens it with excelize.
// One workbook is open at a time in the process: Open waits for the one
// open to close, or for ctx to end. Its errors are Check's, ctx's, or an
// *UnreadableError when excelize cannot open the workbook. The caller must
// Close the workbook.
func Open(ctx context.Context, data []byte, lim Limits) (*Workbook, error) {
	counts, err := Check(ctx, data, lim)
	if err != nil {
		return nil, err
	}
	select {
	case opened <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: lim.MaxUnzippedBytes, UnzipXMLSizeLimit: min(lim.MaxUnzippedBytes, inMemoryPartBytes),
	})
	if err != nil {
		<-opened
		return nil, &UnreadableError{Err: err}
	}
	return &Workbook{File: f, lim: lim, unzipped: counts.UnzippedBytes}, nil
}

// Close releases the workbook and its place among the open ones. Call
// ReturnMemory once what was read from it is dropped too.
func (w *Workbook) Close() error {
	err := w.File.Close()
	w.once.Do(func() {
		<-opened
		if w.unzipped > largeBytes || w.text > largeBytes {
			large.Store(true)
		}
	})
	return err
}

// Rows iterates the rows of a sheet, from row 1, an empty row for each row
// the sheet leaves out.
type Rows struct {
	ctx   context.Context
	w     *Workbook
	sheet string
	it    *excelize.Rows
	num   int
	cells []string
	err   error
}

// Rows starts reading a sheet by its name. The iterator stops, with Err
// saying why, when ctx ends or the text read from the workbook's cells
// passes MaxTextBytes: a shared string is copied out for each cell that
// shows it, so a small table can fill many cells.
func (w *Workbook) Rows(ctx context.Context, sheet string) (*Rows, error) {
	it, err := w.File.Rows(sheet)
	if err != nil {
		return nil, err
	}
	return &Rows{ctx: ctx, w: w, sheet: sheet, it: it}, nil
}

// Next reads the next row; false at the end or on an error (see Err).
func (r *Rows) Next() bool {
	if r.err != nil {
		return false
	}
	if r.num%ctxEvery == 0 {
		if r.err = r.ctx.Err(); r.err != nil {
			return false
		}
	}
	if !r.it.Next() {
		if err := r.it.Error(); err != nil {
			r.err = fmt.Errorf("after row %d: %w", r.num, err)
		}
		return false
	}
	r.num++
	r.cells, r.err = r.it.Columns(excelize.Options{RawCellValue: true})
	if r.err != nil {
		r.err = fmt.Errorf("row %d: %w", r.num, r.err)
		return false
	}
	for _, c := range r.cells {
		r.w.text += int64(len(c))
	}
	if r.w.text > r.w.lim.MaxTextBytes {
		r.err = &Error{Limit: "MaxTextBytes", Sheet: r.sheet, Row: r.num, Message: "the workbook's cells hold more than " +
			size(r.w.lim.MaxTextBytes) + " of text (limit " + size(r.w.lim.MaxTextBytes) + ")"}
		return false
	}
	return true
}

// Num is the row's number in the sheet, from 1.
func (r *Rows) Num() int { return r.num }

// Cells are the row's cells as written (raw values, numbers unformatted),
// from column A; the slice ends at the last cell with a value.
func (r *Rows) Cells() []string { return r.cells }

// Err is why Next stopped early: ctx's error, an *Error for MaxTextBytes,
// or excelize's.
func (r *Rows) Err() error { return r.err }

// Close releases the iterator.
func (r *Rows) Close() { _ = r.it.Close() }
