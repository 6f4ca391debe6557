package exports

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms"
)

// The Responses-sheet benchmark: AGORA_EXPORT_BENCH=100000 go test
// ./exports -run TestExportBenchmark -v. Each writer runs in a child process
// of its own so that its peak RSS (VmHWM) is its own; see docs/BENCHMARKS.md.

const benchOptions = 5

// synthDefinition is a 60-question form: 20 single choices, 10 multiple
// choices of 5 options, 10 numbers, 10 scales and 10 texts.
func synthDefinition() *forms.Definition {
	opts := make([]forms.Option, benchOptions)
	for i := range opts {
		opts[i] = forms.Option{Code: "o" + strconv.Itoa(i), Label: forms.Text{"en": "Option " + strconv.Itoa(i)}}
	}
	var qs []forms.Question
	add := func(n int, typ string) {
		for range n {
			code := fmt.Sprintf("q%02d", len(qs))
			q := forms.Question{Code: code, Type: typ, Label: forms.Text{"en": "Question " + code}}
			if typ == forms.TypeSingleChoice || typ == forms.TypeMultipleChoice {
				q.Options = opts
			}
			qs = append(qs, q)
		}
	}
	add(20, forms.TypeSingleChoice)
	add(10, forms.TypeMultipleChoice)
	add(10, forms.TypeNumber)
	add(10, forms.TypeScale)
	add(10, forms.TypeText)
	return &forms.Definition{Code: "bench", Version: 1, DefaultLanguage: "en", Sections: []forms.Section{{Code: "s", Questions: qs}}}
}

// synthCursor yields n responses answering every question.
type synthCursor struct {
	def *forms.Definition
	n   int
	rec ResponseRecord
}

func (c *synthCursor) Next() bool {
	if int(c.rec.ID) >= c.n {
		return false
	}
	id := c.rec.ID + 1
	t := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	c.rec = ResponseRecord{ID: id, StakeholderType: "ngo", Language: "en", SubmittedAt: &t, Answers: c.rec.Answers[:0]}
	for qi, q := range c.def.Sections[0].Questions {
		v := int(id) + qi
		switch q.Type {
		case forms.TypeSingleChoice:
			c.rec.Answers = append(c.rec.Answers, forms.AnswerRow{QuestionCode: q.Code, OptionCode: "o" + strconv.Itoa(v%benchOptions)})
		case forms.TypeMultipleChoice:
			for o := range 2 {
				c.rec.Answers = append(c.rec.Answers, forms.AnswerRow{QuestionCode: q.Code, OptionCode: "o" + strconv.Itoa((v+o)%benchOptions)})
			}
		case forms.TypeNumber, forms.TypeScale:
			x := float64(v % 7)
			c.rec.Answers = append(c.rec.Answers, forms.AnswerRow{QuestionCode: q.Code, Number: &x})
		default:
			c.rec.Answers = append(c.rec.Answers, forms.AnswerRow{QuestionCode: q.Code, Text: "Answer " + strconv.Itoa(v)})
		}
	}
	return true
}

func (c *synthCursor) Record() *ResponseRecord { return &c.rec }
func (c *synthCursor) Err() error              { return nil }
func (c *synthCursor) Close() error            { return nil }

// writeAgoraResponses writes the Responses sheet as the workbook does.
func writeAgoraResponses(w io.Writer, n int) error {
	def := synthDefinition()
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	l := labels{lang: "en", fallback: "en", st: st}
	cols := append(responseFixed(forms.Access{Role: forms.RoleAnalyst, Mode: forms.AnonymityConfidential}), responseColumns(def, l)...)
	var cs []column
	var codes, titles []any
	for _, c := range cols {
		cs, codes, titles = append(cs, c.column), append(codes, c.code), append(titles, c.title)
	}
	sh, err := newStreamSheet(f, st, map[string]bool{"sheet1": true}, "Responses", cs, [][]any{titles, codes}, 0)
	if err != nil {
		return err
	}
	qcols := cols[len(responseFixed(forms.Access{Role: forms.RoleAnalyst, Mode: forms.AnonymityConfidential})):]
	cur := &synthCursor{def: def, n: n}
	shown := func(s string) string { return s }
	set := answerSet{}
	for cur.Next() {
		if err := sh.add(responseRow(cur.Record(), st, forms.Access{Role: forms.RoleAnalyst, Mode: forms.AnonymityConfidential}, shown, qcols, set)); err != nil {
			return err
		}
	}
	if err := sh.close(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// writeBareResponses writes the same cells with a bare StreamWriter: the
// same records, mapped to cells by hand, no styles, filter or titles.
func writeBareResponses(w io.Writer, n int) error {
	def := synthDefinition()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	qs := def.Sections[0].Questions
	header := []any{"response_id", "submitted_at", "stakeholder_type", "language"}
	for _, q := range qs {
		header = append(header, q.Code)
		if q.Type == forms.TypeMultipleChoice {
			for _, o := range q.Options {
				header = append(header, q.Code+"/"+o.Code)
			}
		}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	if err := sw.SetRow("A2", header); err != nil {
		return err
	}
	cur := &synthCursor{def: def, n: n}
	row := make([]any, 0, len(header))
	for r := 3; cur.Next(); r++ {
		rec := cur.Record()
		row = append(row[:0], int(rec.ID), rec.SubmittedAt.Format("2006-01-02 15:04"), rec.StakeholderType, rec.Language)
		i := 0
		for _, q := range qs {
			switch q.Type {
			case forms.TypeMultipleChoice:
				a, b := rec.Answers[i], rec.Answers[i+1]
				row = append(row, "Option "+a.OptionCode[1:]+"; Option "+b.OptionCode[1:])
				for _, o := range q.Options {
					v := 0
					if o.Code == a.OptionCode || o.Code == b.OptionCode {
						v = 1
					}
					row = append(row, v)
				}
				i += 2
				continue
			case forms.TypeSingleChoice:
				row = append(row, "Option "+rec.Answers[i].OptionCode[1:])
			case forms.TypeNumber, forms.TypeScale:
				row = append(row, *rec.Answers[i].Number)
			default:
				row = append(row, rec.Answers[i].Text)
			}
			i++
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// TestExportBenchChild is the child process of TestExportBenchmark.
func TestExportBenchChild(t *testing.T) {
	mode := os.Getenv("AGORA_EXPORT_BENCH_CHILD")
	if mode == "" {
		t.Skip("run by TestExportBenchmark")
	}
	n, _ := strconv.Atoi(os.Getenv("AGORA_EXPORT_BENCH"))
	out, err := os.Create(os.Getenv("AGORA_EXPORT_BENCH_OUT"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	bw := bufio.NewWriter(out)
	start := time.Now()
	write := writeAgoraResponses
	if mode == "bare" {
		write = writeBareResponses
	}
	if err := write(bw, n); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	fi, _ := out.Stat()
	fmt.Printf("RESULT mode=%s seconds=%.2f hwm_kb=%d bytes=%d\n", mode, elapsed.Seconds(), vmHWM(), fi.Size())
}

// vmHWM is the peak resident set size of this process, in kB.
func vmHWM() int {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return -1
}

// TestExportBenchmark times the Responses sheet against a bare
// StreamWriter writing the same cells, each in its own process.
func TestExportBenchmark(t *testing.T) {
	n := os.Getenv("AGORA_EXPORT_BENCH")
	if n == "" {
		t.Skip("set AGORA_EXPORT_BENCH=100000 to run the export benchmark")
	}
	results := map[string][2]float64{}
	for _, mode := range []string{"bare", "agora", "bare", "agora"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestExportBenchChild$", "-test.v")
		cmd.Env = append(os.Environ(), "AGORA_EXPORT_BENCH_CHILD="+mode, "AGORA_EXPORT_BENCH_OUT="+t.TempDir()+"/out.xlsx")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", mode, err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "RESULT") {
				t.Log(line)
				var m string
				var s float64
				var kb, size int
				fmt.Sscanf(line, "RESULT mode=%s seconds=%f hwm_kb=%d bytes=%d", &m, &s, &kb, &size)
				prev, ok := results[mode]
				if !ok || s < prev[0] {
					results[mode] = [2]float64{s, float64(kb) / 1024}
				}
			}
		}
	}
	bare, agora := results["bare"], results["agora"]
	t.Logf("%s responses × 60 questions on %s/%s, %d CPUs: bare %.2f s %.0f MB; Agora %.2f s %.0f MB; ratio %.2f",
		n, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), bare[0], bare[1], agora[0], agora[1], agora[0]/bare[0])
}
