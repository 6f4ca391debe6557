package xlsform

import (
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// What the importer does with a type of the survey sheet.
const (
	kindQuestion = iota // a question Agora asks
	kindBeginGroup
	kindEndGroup
	kindSkipped // left out, with a warning
	kindRefused // stops the import
)

// xtype is the parsed type cell of a survey row.
type xtype struct {
	name    string // normalized: "select_one", "begin_group", "geopoint"...
	list    string // the choice list of select_one, select_multiple and rank
	orOther bool   // "select_one list or_other"
	kind    int
	why     string // for kindSkipped and kindRefused: what to tell the author
}

// questionTypes maps the XLSForm types that become questions to Agora's
// type; select_one, text and range are refined later by appearance and
// choices.
var questionTypes = map[string]string{
	"select_one":      forms.TypeSingleChoice,
	"select_multiple": forms.TypeMultipleChoice,
	"rank":            forms.TypeRanking,
	"text":            forms.TypeText,
	"integer":         forms.TypeInteger,
	"decimal":         forms.TypeNumber,
	"date":            forms.TypeDate,
	"note":            forms.TypeNote,
	"range":           forms.TypeScale,
}

// typeAliases are spellings of the same types found in the wild.
var typeAliases = map[string]string{
	"select one": "select_one", "select multiple": "select_multiple", "select1": "select_one",
	"select all that apply": "select_multiple", "select_all_that_apply": "select_multiple",
	"select one from": "select_one", "select all that apply from": "select_multiple",
	"add select one prompt using": "select_one", "add select multiple prompt using": "select_multiple",
	"select one from file": "select_one_from_file", "select multiple from file": "select_multiple_from_file",
	"begin lgroup": "begin_repeat", "end lgroup": "end_repeat", "begin loop": "begin_repeat",
	"end loop": "end_repeat", "begin looped group": "begin_repeat", "end looped group": "end_repeat",
	"add image prompt": "image", "add photo prompt": "image", "add audio prompt": "audio",
	"add video prompt": "video", "add file prompt": "file", "osm": "osm", "imei": "deviceid",
	"int": "integer", "string": "text", "begin group": "begin_group", "end group": "end_group",
	"begin repeat": "begin_repeat", "end repeat": "end_repeat", "begin-group": "begin_group",
	"end-group": "end_group", "photo": "image", "gps": "geopoint", "location": "geopoint",
	"datetime": "datetime", "calculation": "calculate",
}

// skippedTypes are XLSForm types Agora has no question for: the row is left
// out and reported.
var skippedTypes = map[string]string{
	"calculate":                 "calculations are not supported",
	"hidden":                    "hidden fields are not supported",
	"geopoint":                  "location (geopoint) questions are not supported",
	"geotrace":                  "location (geotrace) questions are not supported",
	"geoshape":                  "location (geoshape) questions are not supported",
	"image":                     "image uploads are not supported",
	"audio":                     "audio recordings are not supported",
	"video":                     "video recordings are not supported",
	"file":                      "file uploads are not supported",
	"background-audio":          "background audio recording is not supported",
	"barcode":                   "barcode questions are not supported",
	"time":                      "time questions are not supported (date is)",
	"datetime":                  "date-and-time questions are not supported (date is)",
	"acknowledge":               "acknowledge questions are not supported",
	"trigger":                   "acknowledge (trigger) questions are not supported",
	"select_one_from_file":      "choices from an external file are not supported",
	"select_multiple_from_file": "choices from an external file are not supported",
	"select_one_external":       "choices from an external file are not supported",
	"select_multiple_external":  "choices from an external file are not supported",
	"xml-external":              "external data is not supported",
	"osm":                       "OpenStreetMap questions are not supported",
	"csv-external":              "external data is not supported",
}

// metadataTypes are the device and session fields ODK fills in by itself.
var metadataTypes = map[string]bool{
	"start": true, "end": true, "today": true, "deviceid": true, "username": true,
	"email": true, "phonenumber": true, "simserial": true, "subscriberid": true, "audit": true,
	"start-geopoint": true,
}

// parseType reads the type cell of a survey row.
func parseType(cell string) xtype {
	// Type words are matched in any case; list names keep theirs.
	orig := strings.Fields(cell)
	fields := strings.Fields(strings.ToLower(cell))
	if len(fields) == 0 {
		return xtype{kind: kindSkipped, why: "the row has no type"}
	}
	name, args := fields[0], orig[1:]
	for n := min(len(fields), 5); n >= 2; n-- {
		if a, ok := typeAliases[strings.Join(fields[:n], " ")]; ok {
			name, args = a, orig[n:]
			break
		}
	}
	if a, ok := typeAliases[name]; ok {
		name = a
	}
	t := xtype{name: name, kind: kindQuestion}
	switch name {
	case "select_one", "select_multiple", "rank":
		return selectType(t, args)
	case "begin_group":
		t.kind = kindBeginGroup
	case "end_group":
		t.kind = kindEndGroup
	case "begin_repeat", "end_repeat":
		t.kind, t.why = kindRefused, "repeats are not supported: Agora asks each question once; ask for a number and the details in separate questions"
	}
	if t.kind != kindQuestion || len(args) > 0 && !strings.HasPrefix(name, "select") {
		return argsCheck(t, args, cell)
	}
	return classify(t, cell)
}

// selectType reads "select_one list [or_other]".
func selectType(t xtype, args []string) xtype {
	switch {
	case len(args) == 0:
		t.kind, t.why = kindRefused, t.name+" needs the name of a choice list, e.g. \""+t.name+" yes_no\""
	case len(args) == 1:
		t.list = args[0]
	case len(args) == 2 && strings.EqualFold(args[1], "or_other"):
		t.list, t.orOther = args[0], true
	default:
		t.kind, t.why = kindRefused, "write "+t.name+" followed by one choice list name (and or_other), not \""+strings.Join(args, " ")+"\""
	}
	return t
}

// argsCheck refuses words after a type that takes none.
func argsCheck(t xtype, args []string, cell string) xtype {
	if len(args) > 0 && t.kind != kindRefused {
		if t.kind == kindBeginGroup || t.kind == kindEndGroup {
			return t // "begin group name" is a common slip, harmless
		}
		t.kind, t.why = kindRefused, "unknown type \""+cell+"\""
	}
	return t
}

// classify sorts a bare type name into question, skipped or refused.
func classify(t xtype, cell string) xtype {
	if _, ok := questionTypes[t.name]; ok {
		return t
	}
	if why, ok := skippedTypes[t.name]; ok {
		t.kind, t.why = kindSkipped, why
		return t
	}
	if metadataTypes[t.name] {
		t.kind, t.why = kindSkipped, "metadata ("+t.name+") is not collected by Agora"
		return t
	}
	if strings.Contains(t.name, "kobomatrix") || strings.Contains(t.name, "_score") || strings.Contains(t.name, "_rank") || strings.Contains(t.name, "__") {
		t.kind, t.why = kindRefused, "\""+cell+"\" is KoboToolbox's own type, not XLSForm: make the table a group with appearance table-list of select_one rows sharing a list, or use type rank"
		return t
	}
	if strings.HasPrefix(t.name, "begin") || strings.HasPrefix(t.name, "end") {
		t.kind, t.why = kindRefused, "\""+cell+"\" is not supported: only begin group and end group structure a form"
		return t
	}
	t.kind, t.why = kindRefused, "unknown type \""+cell+"\""
	return t
}
