package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms"
)

// pageBudget is the most a page may weigh, gzip-compressed, with its style
// sheet: stakeholders answer on phones over slow connections.
const pageBudget = 30 << 10

// TestPageWeight renders every page of the demo questionnaires, with every
// question shown (relevance removed) and every question answered, and
// checks the heaviest against the budget.
func TestPageWeight(t *testing.T) {
	defs, err := forms.DemoQuestionnaires()
	if err != nil {
		t.Fatal(err)
	}
	r := newRenderer(t)
	css := gzipSize(t, r.StyleSheet())
	heaviest, name := 0, ""
	for i := range defs {
		def := &defs[i]
		for si := range def.Sections {
			def.Sections[si].Relevant = ""
			for qi := range def.Sections[si].Questions {
				def.Sections[si].Questions[qi].Relevant = ""
			}
		}
		f, err := forms.Compile(def, nil)
		if err != nil {
			t.Fatal(err)
		}
		a := fullAnswers(def)
		for _, lang := range []string{"en", "fr", "ar", "ru"} {
			v := visit(f, lang)
			v.Languages = forms.Languages
			pages := map[string]Page{
				"review": r.Review(v, ReviewState{Answers: a, SubmissionID: "x"}),
				"done":   r.Done(v, DoneState{Answers: a, Receipt: "K7QD-3MPX-2AHT", SubmittedAt: time.Now(), Editable: true}),
			}
			for si := range def.Sections {
				pages[fmt.Sprint("section ", si+1)] = r.Section(v, SectionState{Index: si, Answers: a})
			}
			for pn, p := range pages {
				html := render(t, r, p)
				size := gzipSize(t, []byte(html))
				if size > heaviest {
					heaviest, name = size, fmt.Sprintf("%s %s (%s, %d bytes uncompressed)", def.Code, pn, lang, len(html))
				}
			}
		}
	}
	t.Logf("heaviest page: %s, %d bytes gzip + %d bytes of CSS = %d bytes", name, heaviest, css, heaviest+css)
	if heaviest+css > pageBudget {
		t.Errorf("%s weighs %d bytes with its CSS, over the budget of %d", name, heaviest+css, pageBudget)
	}
}

// fullAnswers answers every question of def, texts at a realistic length.
func fullAnswers(def *forms.Definition) forms.Answers {
	a := forms.Answers{}
	// Varied words, so that compression does not flatter the texts.
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the courts rarely apply this provision in practice police prosecutors victims " +
		"witnesses training budget cooperation evidence cases were reported delays corruption border firearms")
	for _, q := range def.Questions() {
		var sb strings.Builder
		for range 80 {
			sb.WriteString(words[rng.IntN(len(words))])
			sb.WriteByte(' ')
		}
		text := sb.String()
		switch q.Type {
		case forms.TypeSingleChoice:
			a[q.Code] = q.Options[0].Code
		case forms.TypeMultipleChoice, forms.TypeRanking:
			var codes []any
			for _, o := range q.Options {
				codes = append(codes, o.Code)
			}
			a[q.Code] = codes
		case forms.TypeScale:
			a[q.Code] = float64(q.Scale[0].Value)
		case forms.TypeMatrix:
			m := map[string]any{}
			for _, row := range q.Rows {
				m[row.Code] = float64(q.Scale[0].Value)
			}
			a[q.Code] = m
		case forms.TypeNumber, forms.TypeInteger:
			a[q.Code] = 12.0
		case forms.TypeDate:
			a[q.Code] = "2024-03-31"
		case forms.TypeText, forms.TypeLongText:
			a[q.Code] = text
		}
	}
	return a
}

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}
