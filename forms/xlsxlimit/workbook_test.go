package xlsxlimit

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/xlsxlimit/xlsxtest"
)

// readAll reads every row of the workbook's first sheet.
func readAll(t *testing.T, ctx context.Context, data []byte, lim Limits) (nums []int, cells [][]string, err error) {
	t.Helper()
	w, err := Open(ctx, data, lim)
	if err != nil {
		return nil, nil, err
	}
	defer w.Close()
	rows, err := w.Rows(ctx, w.File.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		nums, cells = append(nums, rows.Num()), append(cells, rows.Cells())
	}
	return nums, cells, rows.Err()
}

func TestRowsReadRaw(t *testing.T) {
	data := book(t, `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="1"><v>0.5</v></c></row>`+
		`<row r="3"><c r="B3" t="b"><v>1</v></c></row>`, xlsxtest.Strings("Organization"))
	nums, cells, err := readAll(t, t.Context(), data, Defaults)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 2, 3}; !slices.Equal(nums, want) {
		t.Errorf("rows %v, want %v (the row left out is read empty)", nums, want)
	}
	want := [][]string{{"Organization", "", "0.5"}, nil, {"", "1"}}
	if !slices.EqualFunc(cells, want, slices.Equal) {
		t.Errorf("cells %q, want %q", cells, want)
	}
}

func TestRowsTextBudget(t *testing.T) {
	lim := Defaults
	lim.MaxTextBytes = 25
	row := `<row><c t="s"><v>0</v></c><c t="s"><v>0</v></c></row>` // 10 bytes a row, the string shown twice
	data := book(t, strings.Repeat(row, 3), xlsxtest.Strings("abcde"))
	_, cells, err := readAll(t, t.Context(), data, lim)
	var le *Error
	if !errors.As(err, &le) || le.Limit != "MaxTextBytes" || le.Row != 3 || len(cells) != 2 {
		t.Errorf("%d rows then %v, want MaxTextBytes passed on row 3", len(cells), err)
	}
	want := `sheet "S", row 3: the workbook's cells hold more than 25 bytes of text (limit 25 bytes)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestRowsStopWhenCancelled(t *testing.T) {
	data, err := xlsxtest.ManyRows(10 * ctxEvery)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Open(t.Context(), data, Defaults)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	rows, err := w.Rows(ctx, "Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if n++; n == ctxEvery+1 {
			cancel()
		}
	}
	if !errors.Is(rows.Err(), context.Canceled) || n > 2*ctxEvery {
		t.Errorf("%d rows read, then %v; want context.Canceled within %d rows", n, rows.Err(), ctxEvery)
	}
}

// TestOpenOneAtATime checks that a second workbook waits for the first to
// close, and gives up when its context ends first.
func TestOpenOneAtATime(t *testing.T) {
	data := book(t, `<row><c><v>1</v></c></row>`, nil)
	first, err := Open(t.Context(), data, Defaults)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := Open(ctx, data, Defaults); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second open while the first is open: %v, want it to wait until its deadline", err)
	}
	opened := make(chan error, 1)
	go func() {
		w, err := Open(t.Context(), data, Defaults)
		if err == nil {
			err = w.Close()
		}
		opened <- err
	}()
	_ = first.Close()
	_ = first.Close() // a second Close gives no place back twice
	if err := <-opened; err != nil {
		t.Errorf("open after the first closed: %v", err)
	}
	if w, err := Open(t.Context(), data, Defaults); err != nil {
		t.Errorf("third open: %v", err)
	} else {
		_ = w.Close()
	}
}
