package xlsform

import (
	"strconv"
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

// toOptionCode keeps a choice name as its option code when forms accepts
// it ("1", "99", "-99", "n1-c"); otherwise characters other than ASCII
// letters, digits, '_', '-' and '.' become '_', and a name that would
// start like a formula or a path ('-', '.') gets prefix "c".
func toOptionCode(name string) string {
	if optionCodeOK(name) {
		return name
	}
	var sb strings.Builder
	for _, ch := range name {
		switch {
		case ch < 128 && (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-' || ch == '.'):
			sb.WriteRune(ch)
		default:
			sb.WriteByte('_')
		}
	}
	code := sb.String()
	if code != "" && (code[0] == '-' || code[0] == '.') {
		code = "c" + code
	}
	if len(code) > forms.MaxCodeLength {
		code = code[:forms.MaxCodeLength]
	}
	return code
}

// optionCodeOK mirrors the option codes forms.Compile accepts.
func optionCodeOK(code string) bool {
	if code == "" || len(code) > forms.MaxCodeLength {
		return false
	}
	if code[0] == '-' {
		_, err := strconv.ParseFloat(code, 64)
		return err == nil && !strings.ContainsAny(code, "eE+") && !strings.HasSuffix(code, ".") && !strings.Contains(code, "-.")
	}
	for i, ch := range code {
		switch {
		case ch < 128 && (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_'):
		case (ch == '-' || ch == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}
