package xlsform

import (
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// What the importer does with a type of the survey sheet.
const (
	kindQuestion = iota // a question Agora asks (or computes)
	kindBeginGroup
	kindEndGroup
	kindBeginRepeat
	kindEndRepeat
	kindBeginLoop // begin loop over LIST: the group asked once per choice
	kindEndLoop
	kindSetting // form_title or form_id set on the survey sheet
	kindSkipped // left out, with a warning
	kindRefused // stops the import
)

// xtype is the parsed type cell of a survey row.
type xtype struct {
	name    string // normalized: "select_one", "begin_group", "geopoint"...
	list    string // the choice list of select_one, select_multiple, rank and loops
	orOther bool   // "select_one list or_other"
	kind    int
	why     string // for kindSkipped and kindRefused: what to tell the author
	// unknown is set for a type no XLSForm tool knows: on a row with no
	// name and no label, it is a comment and only skipped.
	unknown bool
	// as is the type Agora asks a type it does not collect as (barcode is
	// asked as a text, datetime as a date), with why it was converted.
	as string
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
	"calculate":       forms.TypeCalculate,
}

// typeAliases are the spellings of the same types that pyxform's question
// type dictionary and aliases accept, and a few found in the wild.
var typeAliases = map[string]string{
	"select one": "select_one", "select multiple": "select_multiple", "select1": "select_one",
	"select all that apply": "select_multiple", "select_all_that_apply": "select_multiple",
	"select one from": "select_one", "select all that apply from": "select_multiple",
	"select multiple from": "select_multiple", "select one using": "select_one",
	"select multiple using": "select_multiple", "q select1": "select_one", "q select": "select_multiple",
	"add select one prompt using": "select_one", "add select multiple prompt using": "select_multiple",
	"select one from file": "select_one_from_file", "select multiple from file": "select_multiple_from_file",
	"select one external": "select_one_external",
	"begin lgroup":        "begin_repeat", "end lgroup": "end_repeat", "begin_lgroup": "begin_repeat", "end_lgroup": "end_repeat",
	"begin looped group": "begin_repeat", "end looped group": "end_repeat",
	"begin_looped_group": "begin_repeat", "end_looped_group": "end_repeat",
	"begin loop": "begin_loop", "end loop": "end_loop",
	"add image prompt": "image", "add photo prompt": "image", "add audio prompt": "audio",
	"add video prompt": "video", "add file prompt": "file", "imei": "deviceid", "photo": "image",
	"q picture": "image", "q image": "image", "q audio": "audio", "q video": "video",
	"int": "integer", "q int": "integer", "add integer prompt": "integer", "percentage": "integer",
	"number of days in last month": "integer", "number of days in last six months": "integer",
	"number of days in last year": "integer",
	"string":                      "text", "q string": "text", "add text prompt": "text", "phone number": "text",
	"decimal": "decimal", "q decimal": "decimal", "add decimal prompt": "decimal",
	"q date": "date", "add date prompt": "date", "q note": "note", "add note prompt": "note",
	"q calculate": "calculate", "add calculate prompt": "calculate", "calculation": "calculate",
	"q acknowledge": "acknowledge", "add acknowledge prompt": "acknowledge",
	"q barcode": "barcode", "add barcode prompt": "barcode",
	"q geopoint": "geopoint", "q location": "geopoint", "add location prompt": "geopoint",
	"gps": "geopoint", "location": "geopoint", "q geoshape": "geoshape", "q geotrace": "geotrace",
	"date time": "datetime", "q date time": "datetime", "q datetime": "datetime",
	"add date time prompt": "datetime", "add datetime prompt": "datetime",
	"begin group": "begin_group", "end group": "end_group", "begin-group": "begin_group", "end-group": "end_group",
	"begin repeat": "begin_repeat", "end repeat": "end_repeat",
	"get start time": "start", "start time": "start", "get end time": "end", "end time": "end",
	"get today": "today", "get device id": "deviceid", "device id": "deviceid",
	"get subscriber id": "subscriberid", "subscriber id": "subscriberid",
	"get sim id": "simserial", "sim id": "simserial", "get phone number": "phonenumber",
	"set form title": "form_title", "set_form_title": "form_title", "set form id": "form_id", "set_form_id": "form_id",
}

// convertedTypes are types Agora does not collect as such but asks in
// another way.
var convertedTypes = map[string]struct{ as, why string }{
	"barcode":  {"text", "a barcode is asked as a text to type in"},
	"datetime": {"date", "a date and time is asked as a date"},
}

// skippedTypes are XLSForm types Agora has no question for: the row is left
// out and reported.
var skippedTypes = map[string]string{
	"hidden":                    "hidden fields are not collected by Agora",
	"geopoint":                  "locations (geopoint) are not collected by a web survey",
	"geotrace":                  "locations (geotrace) are not collected by a web survey",
	"geoshape":                  "locations (geoshape) are not collected by a web survey",
	"image":                     "image uploads are not collected by Agora",
	"audio":                     "audio recordings are not collected by Agora",
	"video":                     "video recordings are not collected by Agora",
	"file":                      "file uploads are not collected by Agora",
	"background-audio":          "background audio recording is not collected by Agora",
	"background-geopoint":       "background locations are not collected by Agora",
	"time":                      "times of day are not collected by Agora (dates are)",
	"acknowledge":               "acknowledge questions are not asked by Agora",
	"trigger":                   "acknowledge (trigger) questions are not asked by Agora",
	"select_one_from_file":      "choices from an external file are not supported",
	"select_multiple_from_file": "choices from an external file are not supported",
	"select_one_external":       "choices from an external file are not supported",
	"select_multiple_external":  "choices from an external file are not supported",
	"xml-external":              "external data is not supported",
	"csv-external":              "external data is not supported",
	"osm":                       "OpenStreetMap questions are not collected by Agora",
}

// metadataTypes are the device and session fields ODK fills in by itself.
var metadataTypes = map[string]bool{
	"start": true, "end": true, "today": true, "deviceid": true, "username": true,
	"email": true, "phonenumber": true, "simserial": true, "subscriberid": true, "audit": true,
	"start-geopoint": true, "uri:deviceid": true, "uri:email": true, "uri:phonenumber": true,
	"uri:simserial": true, "uri:subscriberid": true, "uri:username": true,
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
	for n := min(len(fields), 7); n >= 2; n-- {
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
	case "begin_repeat":
		t.kind = kindBeginRepeat
	case "end_repeat":
		t.kind = kindEndRepeat
	case "begin_loop":
		return loopType(t, args)
	case "end_loop":
		t.kind = kindEndLoop
	case "form_title", "form_id":
		t.kind = kindSetting
	}
	if t.kind != kindQuestion {
		return argsCheck(t, args, cell)
	}
	if len(args) > 0 {
		if name == "osm" || name == "select_one_external" || name == "select_multiple_external" ||
			strings.HasSuffix(name, "_from_file") {
			t.kind, t.why = kindSkipped, skippedTypes[name]
			return t
		}
		return xtype{kind: kindRefused, why: "unknown type \"" + cell + "\"", unknown: true}
	}
	return classify(t, cell)
}

// selectType reads "select_one list [or_other]" (also "or specify other").
func selectType(t xtype, args []string) xtype {
	if n := len(args); n >= 2 {
		tail := strings.ToLower(strings.Join(args[1:], " "))
		if tail == "or_other" || tail == "or other" || tail == "or specify other" {
			t.list, t.orOther = args[0], true
			return t
		}
	}
	switch {
	case len(args) == 0:
		t.kind, t.why = kindRefused, t.name+" needs the name of a choice list, e.g. \""+t.name+" yes_no\""
	case len(args) == 1:
		t.list = args[0]
	default:
		t.kind, t.why = kindRefused, "write "+t.name+" followed by one choice list name (and or_other), not \""+strings.Join(args, " ")+"\""
	}
	return t
}

// loopType reads "begin loop over LIST" (also "begin loop LIST").
func loopType(t xtype, args []string) xtype {
	t.kind = kindBeginLoop
	if len(args) > 0 && strings.EqualFold(args[0], "over") {
		args = args[1:]
	}
	if len(args) != 1 {
		t.kind, t.why = kindRefused, "write begin loop over followed by one choice list name"
		return t
	}
	t.list = args[0]
	return t
}

// argsCheck refuses words after a type that takes none.
func argsCheck(t xtype, args []string, cell string) xtype {
	if len(args) > 0 && t.kind != kindRefused {
		if t.kind == kindBeginGroup || t.kind == kindEndGroup || t.kind == kindBeginRepeat || t.kind == kindEndRepeat {
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
	if c, ok := convertedTypes[t.name]; ok {
		t.as, t.why = c.as, c.why
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
	t.kind, t.why, t.unknown = kindRefused, "unknown type \""+cell+"\"", true
	return t
}
