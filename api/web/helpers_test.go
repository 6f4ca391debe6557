package web

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// exampleForm compiles forms/testdata/example.json, which has every
// question type.
func exampleForm(t testing.TB) *forms.Form {
	t.Helper()
	raw, err := os.ReadFile("../../forms/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	var def forms.Definition
	if err := json.Unmarshal(raw, &def); err != nil {
		t.Fatal(err)
	}
	f, err := forms.Compile(&def, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func newRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// render writes a page and returns the HTML.
func render(t testing.TB, r *Renderer, p Page) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Render(&buf, p); err != nil {
		t.Fatalf("render %s: %v", p.template(), err)
	}
	return buf.String()
}

func visit(f *forms.Form, lang string) *Visit {
	return &Visit{Form: f, Lang: lang, Languages: []string{"en", "fr", "ar"}, Path: "/s/tok", CSRF: "csrf-token"}
}
