package xlsform

import (
	"errors"
	"regexp"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// The columns that hold each field of the definition, by what the JSON
// pointer of a problem points into.
var (
	definitionFields = map[string]string{
		"code": "form_id", "title": "form_title", "description": "description", "kind": "kind",
		"version": "version", "default_language": "default_language", "languages": "default_language",
	}
	sectionFields = map[string]string{
		"code": "name", "title": "label", "description": "hint", "relevant": "relevant",
	}
	questionFields = map[string]string{
		"code": "name", "type": "type", "label": "label", "hint": "hint", "required": "required",
		"required_message": "required_message", "themes": "themes", "relevant": "relevant",
		"constraint": "constraint", "constraint_message": "constraint_message", "options": "type",
		"scale": "type", "min": "min", "max": "max", "max_length": "max_length", "appearance": "appearance",
		"calculation": "calculation", "choice_filter": "choice_filter", "repeat_count": "repeat_count",
		"questions": "type",
	}
	choiceFields = map[string]string{"code": "name", "value": "name", "label": "label", "other": "other", "missing": "missing", "attributes": "list_name"}
	rowFields    = map[string]string{"code": "name", "label": "label", "themes": "themes"}
)

// pointerInText finds the JSON pointers forms.Compile writes inside its
// messages ("also at /sections/0/questions/1").
var pointerInText = regexp.MustCompile(`/sections/[0-9]+(?:/[a-z_]+/[0-9]+)*`)

// alreadyRefused reports whether the report refuses something on the row
// of a cell already: forms.Compile's view of the same mistake (a question
// left without its options) would only repeat it.
func (b *builder) alreadyRefused(where at) bool {
	for _, it := range b.rep.Items {
		if it.Severity == SeverityError && it.Sheet == where.sheet && it.Row == where.row && where.row != 0 {
			return true
		}
	}
	return false
}

// reportCompile reports the problems forms.Compile found at the cells they
// come from.
func (b *builder) reportCompile(err error) {
	var ve *forms.ValidationError
	if !errors.As(err, &ve) {
		b.rep.refuse(at{}, "%v", err)
		return
	}
	for _, f := range ve.Fields {
		msg := pointerInText.ReplaceAllStringFunc(f.Message, func(p string) string {
			// Compile names the other part with the same code: point at
			// its name.
			if c := b.locate(p + "/code").cell(); c != "" {
				return c
			}
			return p
		})
		where := b.locate(f.Path)
		if b.alreadyRefused(where) {
			continue
		}
		b.rep.refuse(where, "%s", msg)
	}
}

// locate finds the cell a JSON pointer into the definition comes from: the
// row of the closest part it points into, and the column of the field.
func (b *builder) locate(ptr string) at {
	for p := ptr; ; {
		if src, ok := b.loc[p]; ok {
			return b.cellFor(src, p, strings.TrimPrefix(ptr, p))
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	if _, definitionField := definitionFields[strings.SplitN(strings.TrimPrefix(ptr, "/"), "/", 2)[0]]; definitionField {
		return at{sheet: sheetSettings}
	}
	return at{sheet: b.wb.survey.name}
}

// cellFor locates field rest (such as "/label/fr" or "/themes/1") of the
// part at pointer entity, which comes from src.
func (b *builder) cellFor(src source, entity, rest string) at {
	segs := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	var fields map[string]string
	switch parts := strings.Split(entity, "/"); {
	case entity == "":
		fields = definitionFields
	case len(parts) == 3:
		fields = sectionFields
	case parts[len(parts)-2] == "questions":
		fields = questionFields
	case parts[len(parts)-2] == "rows":
		fields = rowFields
	default:
		fields = choiceFields
	}
	col := fields[segs[0]]
	if col == "" {
		return src.s.rowAt(src.r)
	}
	if !textColumns[col] {
		return src.s.at(src.r, col)
	}
	lang := b.lang
	if len(segs) > 1 && segs[1] != "" {
		lang = segs[1]
	}
	if c := src.s.textCol(col, lang); c != nil {
		return src.s.cellAt(src.r, c)
	}
	return src.s.rowAt(src.r)
}
