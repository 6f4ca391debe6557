package xlsform

import (
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// reserved holds the names a question code may not take in Agora because
// they mean something in expressions: forms' own list. An XLSForm question
// named "date" or "count" is stored as "q_date" or "q_count", and
// expressions follow.
var reserved = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range forms.ReservedWords() {
		m[w] = true
	}
	return m
}()

// toCode makes an Agora code of an XLSForm name: characters other than
// ASCII letters, digits and '_' become '_', and a name that does not start
// with a letter gets prefix ("q" for questions, "c" for choices: "1"
// becomes "c1", "-99" becomes "c_99"). A valid name is returned as is.
func toCode(name, prefix string) string {
	var sb strings.Builder
	for _, ch := range name {
		switch {
		case ch < 128 && (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_'):
			sb.WriteRune(ch)
		default:
			sb.WriteByte('_')
		}
	}
	code := sb.String()
	if code == "" || strings.Trim(code, "_") == "" {
		return code
	}
	if c := code[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		code = prefix + code
	}
	if len(code) > forms.MaxCodeLength {
		code = code[:forms.MaxCodeLength]
	}
	return code
}
