package forms

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"sort"
)

// demoFS holds the demonstration questionnaires, one JSON definition a file.
//
//go:embed demo/*.json
var demoFS embed.FS

// DemoQuestionnaires returns the demonstration questionnaires shipped with
// Agora (demo/*.json), in file-name order: an issue-identification survey
// for a pilot initiative and a stakeholder input to the self-assessment of
// cluster 1, both in English and French. They are decoded strictly, so a
// misspelt field fails here rather than vanishing; checking them against
// the taxonomy is Compile's work.
func DemoQuestionnaires() ([]Definition, error) {
	names, err := fs.Glob(demoFS, "demo/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	defs := make([]Definition, 0, len(names))
	for _, name := range names {
		raw, err := demoFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		def, err := decodeDemo(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defs = append(defs, *def)
	}
	return defs, nil
}

// decodeDemo decodes one JSON definition, refusing unknown fields
// and anything after the definition.
func decodeDemo(raw []byte) (*Definition, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var def Definition
	if err := dec.Decode(&def); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the questionnaire")
	}
	return &def, nil
}
