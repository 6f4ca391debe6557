package staff_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestPageRefusalIsAPage checks that a role refused on a staff page gets a
// page saying so, and on the API the JSON error.
func TestPageRefusalIsAPage(t *testing.T) {
	e := newTestEnv(t)
	page := e.SessionDo("analyst", http.MethodGet, "/admin/users?lang=es")
	if page.Code != http.StatusForbidden || !strings.Contains(page.Body.String(), "Su función no permite esta acción.") ||
		!strings.HasPrefix(page.Header().Get("Content-Type"), "text/html") {
		t.Errorf("page refusal: %d %s\n%s", page.Code, page.Header().Get("Content-Type"), page.Body.String())
	}
	api := e.Do("analyst", http.MethodGet, "/api/v1/users", nil)
	if api.Code != http.StatusForbidden || !strings.Contains(api.Body.String(), `"code":"forbidden"`) {
		t.Errorf("API refusal: %d %s", api.Code, api.Body.String())
	}
}
