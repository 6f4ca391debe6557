package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api"
	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
)

// matrixCallers are the callers of the route matrix, in the order of the
// letters of a row's want: anonymous, the focal point of country A (KEN),
// the focal point of country B (MEX), the analyst, the admin.
var matrixCallers = []string{"", "focal_ken", "focal_mex", "analyst", "admin"}

// matrixRow is what one route answers each caller when the objects in its
// path (or body) belong to country A. want has one letter per caller of
// matrixCallers: Y allowed (2xx/3xx, or a 4xx about the request itself:
// 400, 409, 410, 413, 415, 422), N denied (401, 403, or 404 for an object
// outside the caller's countries). For objects of country B the two focal
// points swap places; every other caller answers the same.
type matrixRow struct {
	want string
	body func(f *matrixObjects) any
	// strict rows send a valid body: allowed means 2xx, and a 422 (the
	// body names a country outside the caller's) counts as denied.
	strict bool
	// call replaces the plain request, for routes that need a page first.
	call func(e *testEnv, caller, path string) *httptest.ResponseRecorder
	// named is want for objects of a named consultation, where it
	// differs: the objects of every other row are a confidential one's.
	named string
}

// routeMatrix is the explicit table of who may call what. A route of the
// router missing here fails TestRouteMatrix, and so does a row for a route
// the router does not have.
var routeMatrix = map[string]matrixRow{
	"GET /healthz":          {want: "YYYYY"},
	"GET /static/*file":     {want: "YYYYY"},
	"GET /s/:token":         {want: "YYYYY"},
	"POST /s/:token":        {want: "YYYYY", call: surveyPostCall},
	"GET /api/v1/themes":    {want: "YYYYY"},
	"GET /api/v1/countries": {want: "YYYYY"},

	"GET /api/v1/questionnaires":              {want: "NYYYY"},
	"POST /api/v1/questionnaires":             {want: "NNNNY", body: emptyBody},
	"POST /api/v1/questionnaires/import":      {want: "NNNNY", body: emptyBody},
	"GET /api/v1/questionnaires/:id":          {want: "NYYYY"},
	"PUT /api/v1/questionnaires/:id":          {want: "NNNNY", body: emptyBody},
	"POST /api/v1/questionnaires/:id/publish": {want: "NNNNY"},
	"GET /api/v1/questionnaires/:id/xlsform":  {want: "NYYYY"},

	"GET /api/v1/stakeholders": {want: "NYYYY"},
	"POST /api/v1/stakeholders": {want: "NYNNY", strict: true, body: func(f *matrixObjects) any {
		return apitest.StakeholderBody(fmt.Sprintf("New org %s %d", f.country, f.n), f.country)
	}},
	"POST /api/v1/stakeholders/import": {want: "NYYNY", body: emptyBody},
	"GET /api/v1/stakeholders/:id":     {want: "NYNYY"},
	"PUT /api/v1/stakeholders/:id": {want: "NYNNY", strict: true, body: func(f *matrixObjects) any {
		return apitest.StakeholderBody(fmt.Sprintf("Renamed org %s %d", f.country, f.n), f.country)
	}},
	"DELETE /api/v1/stakeholders/:id": {want: "NYNNY"},

	"GET /api/v1/consultations":                       {want: "NYYYY"},
	"POST /api/v1/consultations":                      {want: "NNNNY", body: consultationMatrixBody},
	"GET /api/v1/consultations/:id":                   {want: "NYNYY"},
	"POST /api/v1/consultations/:id/close":            {want: "NNNNY"},
	"POST /api/v1/consultations/:id/reopen":           {want: "NNNNY"},
	"POST /api/v1/consultations/:id/open-link":        {want: "NNNNY"},
	"DELETE /api/v1/consultations/:id/open-link":      {want: "NNNNY"},
	"GET /api/v1/consultations/:id/invitations":       {want: "NNNNY", named: "NYNYY"},
	"POST /api/v1/consultations/:id/invitations":      {want: "NNNNY", body: func(f *matrixObjects) any { return map[string]any{"stakeholder_ids": []uint{f.stakeholder}} }},
	"GET /api/v1/consultations/:id/invitations.xlsx":  {want: "NNNNY"},
	"POST /api/v1/consultations/:id/invitations.xlsx": {want: "NNNNY"},
	"POST /api/v1/invitations/:id/revoke":             {want: "NNNNY"},
	"POST /api/v1/invitations/:id/reissue":            {want: "NNNNY"},
	"GET /api/v1/consultations/:id/proposals":         {want: "NYNNY"},
	"POST /api/v1/consultations/:id/proposals":        {want: "NYNNY", body: emptyBody},
	"POST /api/v1/proposals/:id/decline":              {want: "NNNNY"},
	"POST /api/v1/stakeholders/:id/confirm-email":     {want: "NNNNY"},
	"GET /api/v1/consultations/:id/summary":           {want: "NYNYY"},
	"GET /api/v1/comparisons":                         {want: "NYNYY"},

	"POST /api/v1/exports": {want: "NYNYY", strict: true, body: func(f *matrixObjects) any {
		return map[string]any{"kind": "consultation", "consultation_id": f.consultation}
	}},
	"GET /api/v1/exports/:id":        {want: "NYNNY", call: exportMatrixCall},
	"GET /api/v1/exports/:id/file":   {want: "NYNNY", call: exportMatrixCall},
	"POST /api/v1/exports/:id/retry": {want: "NYNNY", call: exportMatrixCall},

	"GET /api/v1/responses/:token":         {want: "YYYYY"},
	"PUT /api/v1/responses/:token":         {want: "YYYYY", body: func(*matrixObjects) any { return map[string]any{"answers": map[string]any{}} }},
	"POST /api/v1/responses/:token/submit": {want: "YYYYY", body: emptyBody},

	"GET /api/v1/audit": {want: "NNNNY"},
	"GET /api/v1/users": {want: "NNNNY"},
	"POST /api/v1/users": {want: "NNNNY", strict: true, body: func(f *matrixObjects) any {
		return map[string]any{"email": fmt.Sprintf("new%d@example.org", f.n), "role": "focal_point", "countries": []string{f.country}}
	}},
	"GET /api/v1/users/:id":                {want: "NNNNY"},
	"PUT /api/v1/users/:id":                {want: "NNNNY", strict: true, body: func(*matrixObjects) any { return map[string]any{"name": "Renamed"} }},
	"POST /api/v1/users/:id/password-link": {want: "NNNNY"},
	"GET /api/v1/users/:id/tokens":         {want: "NNNNY"},
	"POST /api/v1/users/:id/tokens":        {want: "NNNNY", strict: true, body: func(*matrixObjects) any { return map[string]any{"name": "matrix"} }},
	"POST /api/v1/tokens/:id/revoke":       {want: "NNNNY"},

	// The staff's pages, called with a login session as a browser does.
	"GET /login":              {want: "YYYYY"},
	"POST /login":             {want: "NYYYY", call: loginCall},
	"POST /logout":            {want: "NYYYY", call: sessionCall},
	"GET /portal":             {want: "NYYYY", call: sessionCall},
	"POST /portal/exports":    {want: "NYNYY", call: portalExportCall},
	"GET /portal/exports/:id": {want: "NYNNY", call: exportPageCall},
	"GET /password/:token":    {want: "YYYYY"},

	"GET /portal/consultations/:id":                    {want: "NYNYY", call: sessionCall},
	"GET /portal/consultations/:id/dashboard":          {want: "NYNYY", call: sessionCall},
	"GET /portal/consultations/new":                    {want: "NNNNY", call: sessionCall},
	"POST /portal/consultations":                       {want: "NNNNY", call: sessionPostCall},
	"POST /portal/consultations/:id/close":             {want: "NNNNY", call: sessionPostCall},
	"POST /portal/consultations/:id/reopen":            {want: "NNNNY", call: sessionPostCall},
	"POST /portal/consultations/:id/open-link":         {want: "NNNNY", call: sessionPostCall},
	"POST /portal/consultations/:id/open-link/disable": {want: "NNNNY", call: sessionPostCall},
	"GET /portal/consultations/:id/invite":             {want: "NYNNY", call: sessionCall},
	"POST /portal/consultations/:id/proposals":         {want: "NYNNY", call: sessionPostCall},
	"POST /portal/proposals/:id/decline":               {want: "NNNNY", call: sessionPostCall},
	"POST /portal/consultations/:id/invitations":       {want: "NNNNY", call: sessionPostCall},
	"POST /portal/consultations/:id/new-links.xlsx":    {want: "NNNNY", call: sessionPostCall},
	"POST /portal/consultations/:id/links.xlsx":        {want: "NNNNY", call: sessionPostCall},
	"POST /portal/invitations/:id/revoke":              {want: "NNNNY", call: sessionPostCall},
	"POST /portal/invitations/:id/reissue":             {want: "NNNNY", call: sessionPostCall},
	"GET /portal/comparisons":                          {want: "NYNYY", call: sessionCall},

	"GET /portal/consultations/:id/mail":     {want: "NNNNY", call: sessionCall},
	"POST /portal/consultations/:id/mail":    {want: "NNNNY", call: sessionPostCall},
	"GET /portal/consultations/:id/mail/log": {want: "NNNNY", call: sessionCall},

	"GET /portal/questionnaires":               {want: "NYYYY", call: sessionCall},
	"GET /portal/questionnaires/new":           {want: "NNNNY", call: sessionCall},
	"POST /portal/questionnaires":              {want: "NNNNY", call: sessionPostCall},
	"GET /portal/questionnaires/:id":           {want: "NYYYY", call: sessionCall},
	"GET /portal/questionnaires/:id/preview":   {want: "NYYYY", call: sessionCall},
	"POST /portal/questionnaires/:id/preview":  {want: "NYYYY", call: sessionPostCall},
	"GET /portal/questionnaires/:id/diff":      {want: "NYYYY", call: sessionCall},
	"POST /portal/questionnaires/:id/publish":  {want: "NNNNY", call: sessionPostCall},
	"POST /portal/questionnaires/:id/versions": {want: "NNNNY", call: sessionPostCall},
	"GET /portal/questionnaires/:id/replace":   {want: "NNNNY", call: sessionCall},
	"POST /portal/questionnaires/:id/replace":  {want: "NNNNY", call: sessionPostCall},

	"GET /portal/stakeholders":                    {want: "NYYYY", call: sessionCall},
	"POST /portal/stakeholders":                   {want: "NYYNY", call: sessionPostCall},
	"GET /portal/stakeholders/new":                {want: "NYYNY", call: sessionCall},
	"GET /portal/stakeholders/import":             {want: "NYYNY", call: sessionCall},
	"POST /portal/stakeholders/import":            {want: "NYYNY", call: sessionPostCall},
	"GET /portal/stakeholders/template.xlsx":      {want: "NYYNY", call: sessionCall},
	"GET /portal/stakeholders/:id":                {want: "NYNYY", call: sessionCall},
	"POST /portal/stakeholders/:id":               {want: "NYNNY", call: sessionPostCall},
	"POST /portal/stakeholders/:id/delete":        {want: "NYNNY", call: sessionPostCall},
	"POST /portal/stakeholders/:id/confirm-email": {want: "NNNNY", call: sessionPostCall},

	"GET /admin/users":                    {want: "NNNNY", call: sessionCall},
	"POST /admin/users":                   {want: "NNNNY", call: sessionPostCall},
	"POST /admin/users/:id":               {want: "NNNNY", call: sessionPostCall},
	"POST /admin/users/:id/password-link": {want: "NNNNY", call: sessionPostCall},
	"POST /admin/users/:id/tokens":        {want: "NNNNY", call: sessionPostCall},
	"POST /admin/tokens/:id/revoke":       {want: "NNNNY", call: sessionPostCall},
	"GET /admin/audit":                    {want: "NNNNY", call: sessionCall},
	"GET /admin/reference":                {want: "NNNNY", call: sessionCall},
	"GET /admin/reference/:iso3":          {want: "NNNNY", call: sessionCall},
	"POST /admin/reference/:iso3":         {want: "NNNNY", call: sessionPostCall},
	"POST /password/:token":               {want: "YYYYY", body: emptyBody},
}

// surveyPostCall loads the survey page and posts its form back, as a
// browser does: a POST without the page's signed form is refused for all.
func surveyPostCall(e *testEnv, caller, path string) *httptest.ResponseRecorder {
	b := e.Browser()
	b.Get(path)
	form := b.HiddenFields()
	form.Set("action", "save")
	return b.Post(path, form, "Origin", "http://agora.test")
}

func emptyBody(*matrixObjects) any { return map[string]any{} }

func consultationMatrixBody(f *matrixObjects) any {
	return map[string]any{"questionnaire_id": f.questionnaire, "country": f.country, "title": "Matrix " + f.country}
}

// matrixObjects are fresh objects of one country, made for one call, so
// that a call that deletes or revokes does not change what the next sees.
type matrixObjects struct {
	country       string
	n             int
	questionnaire uint
	consultation  uint
	stakeholder   uint
	invitation    uint
	proposal      uint // a focal point's proposal of another stakeholder
	token         string
	user          uint   // the focal point of the country
	apiToken      uint   // a token of that focal point
	passwordLink  string // a one-time password link of that focal point
}

// matrixFixture makes the objects of country for one call, in a
// consultation of the given anonymity mode.
func (e *testEnv) matrixFixture(qid uint, country, anonymity string, n int) *matrixObjects {
	e.T.Helper()
	ctx := context.Background()
	f := &matrixObjects{country: country, n: n, questionnaire: qid}
	opens := time.Now().Add(-time.Hour)
	c, err := e.Forms().CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{
		QuestionnaireID: qid, Country: country, Title: fmt.Sprintf("%s %d", country, n), OpensAt: &opens, Anonymity: anonymity}, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	f.consultation = c.ID
	f.stakeholder = e.Stakeholder(fmt.Sprintf("Org %s %d", country, n), "ngo", country)
	issued, _, err := e.Forms().CreateInvitations(ctx, forms.AllCountries, c.ID, []uint{f.stakeholder}, nil, nil)
	if err != nil || len(issued) != 1 {
		e.T.Fatalf("invite: %v %v", issued, err)
	}
	f.invitation, f.token = issued[0].InvitationID, issued[0].Token
	proposed := e.Stakeholder(fmt.Sprintf("Proposed org %s %d", country, n), "academia", country)
	props, _, err := e.Forms().ProposeInvitees(ctx, forms.Scope{Countries: []string{country}}, c.ID, []uint{proposed}, "", nil)
	if err != nil || len(props) != 1 {
		e.T.Fatalf("propose: %v %v", props, err)
	}
	f.proposal = props[0].ID
	u, err := e.Accounts().UserByEmail(ctx, apitest.CallerEmail("focal_"+strings.ToLower(country)))
	if err != nil {
		e.T.Fatal(err)
	}
	f.user = u.ID
	_, tok, err := e.Accounts().CreateToken(ctx, u.Email, "matrix", 0)
	if err != nil {
		e.T.Fatal(err)
	}
	f.apiToken = tok.ID
	if f.passwordLink, err = e.Accounts().NewPasswordLink(ctx, u.ID); err != nil {
		e.T.Fatal(err)
	}
	return f
}

// matrixPath fills the parameters of a route's path with f's objects.
func matrixPath(path string, f *matrixObjects) string {
	id := f.consultation
	switch {
	case strings.HasPrefix(path, "/api/v1/questionnaires/"), strings.HasPrefix(path, "/portal/questionnaires/"):
		id = f.questionnaire
	case strings.HasPrefix(path, "/api/v1/stakeholders/"), strings.HasPrefix(path, "/portal/stakeholders/"):
		id = f.stakeholder
	case strings.HasPrefix(path, "/api/v1/invitations/"), strings.HasPrefix(path, "/portal/invitations/"):
		id = f.invitation
	case strings.HasPrefix(path, "/api/v1/proposals/"), strings.HasPrefix(path, "/portal/proposals/"):
		id = f.proposal
	case strings.HasPrefix(path, "/api/v1/users/"), strings.HasPrefix(path, "/admin/users/"):
		id = f.user
	case strings.HasPrefix(path, "/api/v1/tokens/"), strings.HasPrefix(path, "/admin/tokens/"):
		id = f.apiToken
	case strings.HasPrefix(path, "/password/"):
		return "/password/" + f.passwordLink
	}
	path = strings.ReplaceAll(path, ":id", fmt.Sprint(id))
	path = strings.ReplaceAll(path, ":token", f.token)
	path = strings.ReplaceAll(path, ":iso3", f.country)
	path = strings.ReplaceAll(path, "*file", "agora.css")
	if path == "/api/v1/comparisons" || path == "/portal/comparisons" {
		path += "?questionnaire=pilot-issues&countries=" + f.country
	}
	return path
}

// swapFocal gives the expectations for objects of country B.
func swapFocal(want string) string {
	b := []byte(want)
	b[1], b[2] = b[2], b[1]
	return string(b)
}

func allowed(code int) bool {
	return code < 400 || slices.Contains([]int{400, 409, 410, 413, 415, 422}, code)
}

func denied(code int) bool { return code == 401 || code == 403 || code == 404 }

func TestRouteMatrix(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	engine := env.Handler.(*gin.Engine)
	for _, caller := range matrixCallers[1:] {
		u, err := env.Accounts().UserByEmail(context.Background(), apitest.CallerEmail(caller))
		if err != nil {
			t.Fatal(err)
		}
		if err := env.Accounts().SetPassword(context.Background(), u.ID, matrixPassword); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	n := 0
	for _, r := range engine.Routes() {
		key := r.Method + " " + r.Path
		seen[key] = true
		row, ok := routeMatrix[key]
		if !ok {
			t.Errorf("%s is routed but missing from routeMatrix: say who may call it", key)
			continue
		}
		modes := map[string]string{forms.AnonymityConfidential: row.want}
		if row.named != "" {
			modes[forms.AnonymityNamed] = row.named
		}
		for mode, want := range modes {
			for ci, country := range []string{"KEN", "MEX"} {
				if ci == 1 {
					want = swapFocal(want)
				}
				for i, caller := range matrixCallers {
					n++
					f := env.matrixFixture(qid, country, mode, n)
					env.checkMatrixCell(t, key, matrixPath(r.Path, f), caller, want[i] == 'Y', row, f)
				}
			}
		}
	}
	for key := range routeMatrix {
		if !seen[key] {
			t.Errorf("routeMatrix has %s, which the router does not have", key)
		}
	}
}

// checkMatrixCell calls one route as one caller and checks the outcome and
// the security headers.
func (e *testEnv) checkMatrixCell(t *testing.T, key, path, caller string, allow bool, row matrixRow, f *matrixObjects) {
	t.Helper()
	method, _, _ := strings.Cut(key, " ")
	var b any
	if row.body != nil {
		b = row.body(f)
	}
	var rec *httptest.ResponseRecorder
	if row.call != nil {
		rec = row.call(e, caller, path)
	} else {
		rec = e.Do(caller, method, path, b)
	}
	if row.strict && rec.Code == http.StatusUnprocessableEntity {
		rec.Code = http.StatusForbidden
	}
	if row.strict && allow && rec.Code >= 300 {
		t.Errorf("%s %s as %q (%s): %d, want 2xx; %s", method, path, caller, f.country, rec.Code, apitest.Truncate(rec.Body.String()))
	}
	name := caller
	if name == "" {
		name = "anonymous"
	}
	switch {
	case rec.Code >= 500:
		t.Errorf("%s %s as %s (%s): %d %s", method, path, name, f.country, rec.Code, rec.Body)
	case allow && !allowed(rec.Code):
		t.Errorf("%s %s as %s (%s): %d, want allowed; %s", method, path, name, f.country, rec.Code, rec.Body)
	case !allow && !denied(rec.Code):
		t.Errorf("%s %s as %s (%s): %d, want denied; %s", method, path, name, f.country, rec.Code, apitest.Truncate(rec.Body.String()))
	case !allow && caller == "" && rec.Code != http.StatusUnauthorized:
		t.Errorf("%s %s anonymous: %d, want 401", method, path, rec.Code)
	}
	apitest.CheckSecurityHeaders(t, key+" as "+name, rec.Header(), false)
	if strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/api/v1/themes") && !strings.HasPrefix(path, "/api/v1/countries") &&
		rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("%s as %s: Cache-Control %q, want no-store", key, name, rec.Header().Get("Cache-Control"))
	}
}

func TestHSTSOnlyWhenConfigured(t *testing.T) {
	env := newTestEnv(t)
	srv := api.New(api.Config{HSTS: true, RatePerMinute: 100000}, env.DB)
	for _, path := range []string{"/healthz", "/api/v1/themes", "/api/v1/questionnaires", "/nowhere", "/s/nope"} {
		rec := env.Do("", "GET", path, nil)
		apitest.CheckSecurityHeaders(t, path, rec.Header(), false)
		req, _ := http.NewRequest("GET", path, nil)
		rec2 := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec2, req)
		apitest.CheckSecurityHeaders(t, path+" with HSTS", rec2.Header(), true)
	}
}
