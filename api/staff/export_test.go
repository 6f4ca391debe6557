package staff

import (
	"github.com/unodc-csu/agora/forms"
)

// What the workspace's own tests (package staff_test, which drive the
// whole server) need of its insides.

// Catalog is the workspace's message catalog.
var Catalog = staffCatalog

// Languages are the workspace's languages.
var Languages = staffLanguages

// Percent writes v as the dashboard does in lang.
func Percent(lang string, v float64) string { return newViewWords(staffCatalog.Messages(lang)).pct(v) }

// ReadablePath writes a definition's JSON pointer as the upload report
// shows it, in English.
func ReadablePath(ptr string, def *forms.Definition) string {
	return readablePath(&staffPage{Msg: staffCatalog.Messages("en")}, ptr, def)
}
