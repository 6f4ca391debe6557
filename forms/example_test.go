package forms

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestExampleCompiles keeps the example of docs/questionnaire-format.md
// (the same JSON as testdata/example.json) valid.
func TestExampleCompiles(t *testing.T) {
	f := mustCompile(t, loadDefinition(t, "example.json"))
	types := map[string]bool{}
	for _, q := range f.Definition().Questions() {
		types[q.Type] = true
	}
	for _, typ := range QuestionTypes {
		if !types[typ] {
			t.Errorf("the example has no %s question", typ)
		}
	}
}

// docBlocks returns the ```json blocks of the format documentation.
func docBlocks(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../docs/questionnaire-format.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	rest := string(data)
	for {
		_, after, ok := strings.Cut(rest, "```json\n")
		if !ok {
			return blocks
		}
		block, after2, _ := strings.Cut(after, "```")
		blocks = append(blocks, block)
		rest = after2
	}
}

// TestDocExample checks that the documentation shows the tested example,
// and that its sample response is a valid submission.
func TestDocExample(t *testing.T) {
	blocks := docBlocks(t)
	if len(blocks) < 2 {
		t.Fatalf("found %d JSON blocks in the documentation", len(blocks))
	}
	var inDoc, inFile any
	file, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(blocks[0]), &inDoc); err != nil {
		t.Fatalf("the documented example is not JSON: %v", err)
	}
	if err := json.Unmarshal(file, &inFile); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(inDoc, inFile) {
		t.Error("the documented example differs from testdata/example.json")
	}
	var body struct{ Answers Answers }
	if err := json.Unmarshal([]byte(blocks[1]), &body); err != nil {
		t.Fatalf("the documented response is not JSON: %v", err)
	}
	f := mustCompile(t, loadDefinition(t, "example.json"))
	if _, verr := f.Check(body.Answers, true); verr != nil {
		t.Errorf("the documented response fails: %v", verr)
	}
}

// TestDesignExample compiles the core example of the design document and
// checks the answers its API section shows.
func TestDesignExample(t *testing.T) {
	const def = `{
	  "code": "pilot-issues", "kind": "issue_identification",
	  "default_language": "en", "languages": ["en", "fr"],
	  "title": {"en": "Issue identification", "fr": "Identification des problèmes"},
	  "sections": [{
	    "code": "profile", "title": {"en": "About you"},
	    "questions": [
	      {"code": "q_sector", "type": "single_choice", "required": true,
	       "label": {"en": "Your organization is", "fr": "Votre organisation est"},
	       "themes": ["UNTOC"],
	       "options": [{"code": "ngo", "label": {"en": "An NGO"}},
	                   {"code": "academia", "label": {"en": "Academia"}}]},
	      {"code": "q_why", "type": "long_text", "label": {"en": "Why?"},
	       "relevant": "q_sector == \"ngo\""}
	    ]
	  }]
	}`
	var d Definition
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		t.Fatal(err)
	}
	f := mustCompile(t, &d)
	clean, verr := f.Check(Answers{"q_sector": "academia", "q_why": "Because."}, true)
	if verr != nil {
		t.Fatal(verr)
	}
	if want := (Answers{"q_sector": "academia"}); !reflect.DeepEqual(clean, want) {
		t.Errorf("clean = %v, want %v (q_why is not relevant)", clean, want)
	}
}
