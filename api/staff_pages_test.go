package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
)

// postLogin posts the login form from the site itself.
func (e *testEnv) postLogin(email, password string) *httptest.ResponseRecorder {
	return e.browser().post("/login", url.Values{"email": {email}, "password": {password}}, "Origin", "http://agora.test")
}

// sessionCookieOf returns the session cookie a response sets.
func sessionCookieOf(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

func TestLoginPortalLogout(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	qid := env.deployDemo()
	for _, c := range []struct{ country, title string }{{"KEN", `Kenya <script>alert("x")</script>`}, {"MEX", "Mexico only"}} {
		if _, err := env.srv.forms.CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{QuestionnaireID: qid, Country: c.country, Title: c.title}, nil); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := env.srv.accounts.UserByEmail(ctx, "focal.ken@example.org")
	if err := env.srv.accounts.SetPassword(ctx, u.ID, "kenya password 1"); err != nil {
		t.Fatal(err)
	}

	rec := env.postLogin("focal.ken@example.org", "not the password")
	if rec.Code != http.StatusUnauthorized || sessionCookieOf(rec) != nil || !strings.Contains(rec.Body.String(), "Wrong email or password") {
		t.Fatalf("wrong password: %d %v", rec.Code, rec.Body)
	}
	rec = env.postLogin("focal.ken@example.org", "kenya password 1")
	ck := sessionCookieOf(rec)
	if rec.Code != http.StatusSeeOther || ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
		t.Fatalf("login: %d cookie %+v", rec.Code, ck)
	}
	cookie := map[string]string{"Cookie": sessionCookie + "=" + ck.Value}
	portal := env.doRequest("GET", "/portal", nil, cookie)
	body := portal.Body.String()
	if portal.Code != http.StatusOK || !strings.Contains(body, "Kenya &lt;script&gt;") || strings.Contains(body, "<script>") || strings.Contains(body, "Mexico only") {
		t.Fatalf("portal of Kenya's focal point: %d\n%s", portal.Code, body)
	}
	checkSecurityHeaders(t, "portal", portal.Header(), false)
	if rec := env.doRequest("GET", "/api/v1/consultations", nil, cookie); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Mexico only") {
		t.Fatalf("API by cookie: %d %s", rec.Code, rec.Body)
	}
	stake := stakeholderBody("Cookie org", "KEN")
	if rec := env.doRequest("POST", "/api/v1/stakeholders", stake, cookie); rec.Code != http.StatusForbidden {
		t.Fatalf("write by cookie without CSRF: %d %s", rec.Code, rec.Body)
	}
	_, s, err := env.srv.accounts.SessionPrincipal(ctx, ck.Value)
	if err != nil {
		t.Fatal(err)
	}
	withCSRF := map[string]string{"Cookie": cookie["Cookie"], "X-CSRF-Token": s.CSRF}
	if rec := env.doRequest("POST", "/api/v1/stakeholders", stake, withCSRF); rec.Code != http.StatusCreated {
		t.Fatalf("write by cookie with CSRF: %d %s", rec.Code, rec.Body)
	}
	if rec := env.doRequest("POST", "/logout", nil, withCSRF); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d %s", rec.Code, rec.Body)
	}
	if rec := env.doRequest("GET", "/portal", nil, cookie); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("portal after logout: %d", rec.Code)
	}
	got := decode[auditList](t, env.do("admin", "GET", "/api/v1/audit?actor=focal.ken@example.org", nil))
	var actions []string
	for _, e := range got.Items {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "logout,login,login_failed" {
		t.Errorf("audit of the session: %v", actions)
	}
}

func TestLoginBackOff(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	u, _ := env.srv.accounts.UserByEmail(ctx, "analyst@example.org")
	if err := env.srv.accounts.SetPassword(ctx, u.ID, "analyst password"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < accounts.MaxFailures; i++ {
		if rec := env.postLogin("analyst@example.org", "guess"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, rec.Code)
		}
	}
	rec := env.postLogin("analyst@example.org", "analyst password")
	if rec.Code != http.StatusUnauthorized || sessionCookieOf(rec) != nil {
		t.Fatalf("login during the back-off: %d", rec.Code)
	}
	if rec := env.browser().post("/login", url.Values{"email": {"analyst@example.org"}}, "Origin", "http://evil.example"); rec.Code != http.StatusForbidden {
		t.Fatalf("cross-site login form: %d", rec.Code)
	}
}

func TestPasswordLinkAndUserAdmin(t *testing.T) {
	env := newTestEnv(t)
	rec := env.do("admin", "POST", "/api/v1/users", map[string]any{"email": "New.FP@example.org", "role": "focal_point", "countries": []string{"MEX"}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("add user: %d %s", rec.Code, rec.Body)
	}
	id := decode[accounts.User](t, rec).ID
	link := decode[struct{ URL string }](t, env.do("admin", "POST", pathf("/api/v1/users/%d/password-link", id), nil)).URL
	path := strings.TrimPrefix(link, "http://agora.test")
	if !strings.HasPrefix(path, "/password/") {
		t.Fatalf("link %q", link)
	}
	b := env.browser()
	expect(t, "link page", b.get(path), http.StatusOK, "new.fp@example.org")
	expect(t, "short password", b.post(path, url.Values{"password": {"short"}}, "Origin", "http://agora.test"), http.StatusUnprocessableEntity)
	expect(t, "set password", b.post(path, url.Values{"password": {"a good long password"}}, "Origin", "http://agora.test"), http.StatusOK, "Your password is set")
	expect(t, "link spent", b.get(path), http.StatusNotFound)
	if rec := env.postLogin("new.fp@example.org", "a good long password"); rec.Code != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d", rec.Code)
	}

	tok := decode[struct {
		Token string
		Item  accounts.APIToken
	}](t, env.do("admin", "POST", pathf("/api/v1/users/%d/tokens", id), map[string]any{"name": "script"}))
	if !strings.HasPrefix(tok.Token, accounts.TokenPrefix) {
		t.Fatalf("token %+v", tok)
	}
	if rec := env.doRequest("GET", "/api/v1/consultations", nil, map[string]string{"Authorization": "Bearer " + tok.Token}); rec.Code != http.StatusOK {
		t.Fatalf("new token: %d", rec.Code)
	}
	list := decode[struct{ Items []accounts.APIToken }](t, env.do("admin", "GET", pathf("/api/v1/users/%d/tokens", id), nil))
	if len(list.Items) != 1 || list.Items[0].LastUsedAt == nil || strings.Contains(env.do("admin", "GET", pathf("/api/v1/users/%d/tokens", id), nil).Body.String(), tok.Token) {
		t.Fatalf("tokens: %+v", list.Items)
	}
	if rec := env.do("admin", "POST", pathf("/api/v1/tokens/%d/revoke", tok.Item.ID), nil); rec.Code != http.StatusOK {
		t.Fatalf("revoke: %d", rec.Code)
	}
	if rec := env.doRequest("GET", "/api/v1/consultations", nil, map[string]string{"Authorization": "Bearer " + tok.Token}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", rec.Code)
	}
	if rec := env.do("admin", "PUT", pathf("/api/v1/users/%d", id), map[string]any{"disabled": true}); rec.Code != http.StatusOK {
		t.Fatalf("disable: %d %s", rec.Code, rec.Body)
	}
	if rec := env.postLogin("new.fp@example.org", "a good long password"); rec.Code != http.StatusUnauthorized {
		t.Fatalf("login of a disabled user: %d", rec.Code)
	}
	got := decode[auditList](t, env.do("admin", "GET", "/api/v1/audit?action=user.", nil))
	if len(got.Items) != 4 { // create, password_link, password, update
		t.Errorf("user events: %+v", got.Items)
	}
	got = decode[auditList](t, env.do("admin", "GET", "/api/v1/audit?action=token.", nil))
	if len(got.Items) != 2 {
		t.Errorf("token events: %+v", got.Items)
	}
}

func TestAdminPages(t *testing.T) {
	env := newTestEnv(t)
	cookie, csrf := env.login("admin")
	hdr := map[string]string{"Cookie": sessionCookie + "=" + cookie}
	post := func(path string, form url.Values, withCSRF bool) *httptest.ResponseRecorder {
		if withCSRF {
			form.Set("csrf", csrf)
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", hdr["Cookie"])
		rec := httptest.NewRecorder()
		env.h.ServeHTTP(rec, req)
		return rec
	}
	expect(t, "users page", env.doRequest("GET", "/admin/users", nil, hdr), http.StatusOK, "focal.ken@example.org", `name="csrf" value="`+csrf+`"`)
	if rec := post("/admin/users", url.Values{"email": {"page@example.org"}, "role": {"focal_point"}, "countries": {"ken"}}, false); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("add without CSRF: %d %s", rec.Code, rec.Header())
	}
	if rec := post("/admin/users", url.Values{"email": {"page@example.org"}, "role": {"focal_point"}, "countries": {"ken"}}, true); rec.Code != http.StatusSeeOther {
		t.Fatalf("add: %d %s", rec.Code, rec.Body)
	}
	u, err := env.srv.accounts.UserByEmail(context.Background(), "page@example.org")
	if err != nil || len(u.Countries) != 1 || u.Countries[0] != "KEN" {
		t.Fatalf("added: %+v %v", u, err)
	}
	expect(t, "bad country", post(pathf("/admin/users/%d", u.ID), url.Values{"name": {"P"}, "role": {"focal_point"}, "countries": {"XXX"}}, true), http.StatusUnprocessableEntity, "unknown country")
	rec := post(pathf("/admin/users/%d/tokens", u.ID), url.Values{"name": {"page token"}}, true)
	expect(t, "token", rec, http.StatusCreated, "shown only once", accounts.TokenPrefix)
	expect(t, "link", post(pathf("/admin/users/%d/password-link", u.ID), url.Values{}, true), http.StatusOK, "http://agora.test/password/")
	expect(t, "audit page", env.doRequest("GET", "/admin/audit?action=token.", nil, hdr), http.StatusOK, "token.create")
	expect(t, "audit page, bad filter", env.doRequest("GET", "/admin/audit?from=soon", nil, hdr), http.StatusBadRequest)
	fk, _ := env.login("focal_ken")
	if rec := env.doRequest("GET", "/admin/users", nil, map[string]string{"Cookie": sessionCookie + "=" + fk}); rec.Code != http.StatusForbidden {
		t.Fatalf("focal point on the users page: %d", rec.Code)
	}
}

// TestAuthPagesTranslated renders the login and password pages in French
// and Spanish, by ?lang= and by the remembered choice, with the refusals in
// the same language and what the user typed escaped.
func TestAuthPagesTranslated(t *testing.T) {
	env := newTestEnv(t)
	rec := env.do("admin", "POST", "/api/v1/users", map[string]any{"email": "lang.fp@example.org", "role": "focal_point", "countries": []string{"MEX"}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("add user: %d %s", rec.Code, rec.Body)
	}
	id := decode[accounts.User](t, rec).ID
	link := decode[struct{ URL string }](t, env.do("admin", "POST", pathf("/api/v1/users/%d/password-link", id), nil)).URL
	path := strings.TrimPrefix(link, "http://agora.test")
	b := env.browser()
	fr := []string{"Cookie", staffLangCookie + "=fr", "Origin", "http://agora.test"}
	tests := []struct {
		name   string
		rec    *httptest.ResponseRecorder
		status int
		want   []string
	}{
		{"login in French", b.get("/login?lang=fr"), http.StatusOK, []string{`lang="fr"`, "Mot de passe", "Se connecter"}},
		{"login in Spanish", b.get("/login?lang=es"), http.StatusOK, []string{`lang="es"`, "Contraseña", "Iniciar sesión"}},
		{"browser's language", b.get("/login", "Accept-Language", "es-MX,es;q=0.9"), http.StatusOK, []string{`lang="es"`, "Correo electrónico"}},
		{"refused in French, typed text escaped", b.post("/login", url.Values{"email": {`<b>x</b>@example.org`}, "password": {"no"}}, fr...),
			http.StatusUnauthorized, []string{`lang="fr"`, "Adresse ou mot de passe incorrect", "&lt;b&gt;x&lt;/b&gt;@example.org"}},
		{"other site in Spanish", b.post("/login", url.Values{"email": {"a@example.org"}}, "Cookie", staffLangCookie+"=es", "Origin", "http://evil.example"),
			http.StatusForbidden, []string{"Este formulario se envió desde otro sitio."}},
		{"password link in Spanish", b.get(path + "?lang=es"), http.StatusOK, []string{`lang="es"`, "Elija una contraseña para lang.fp@example.org", "Nueva contraseña"}},
		{"short password in French", b.post(path, url.Values{"password": {"court"}}, fr...), http.StatusUnprocessableEntity,
			[]string{"Le mot de passe doit compter au moins 12 caractères"}},
		{"password set, in French", b.post(path, url.Values{"password": {"un bon mot de passe"}}, fr...), http.StatusOK,
			[]string{`lang="fr"`, "Votre mot de passe est enregistré", "Connexion"}},
		{"spent link in Spanish", b.get(path + "?lang=es"), http.StatusNotFound, []string{"Este enlace no es válido"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expect(t, tt.name, tt.rec, tt.status, tt.want...) })
	}
}

// TestAdminPagesTranslated renders the users and audit pages in French and
// Spanish, with roles by their names and a refused form's problems.
func TestAdminPagesTranslated(t *testing.T) {
	env := newTestEnv(t)
	cookie, csrf := env.login("admin")
	hdr := map[string]string{"Cookie": sessionCookie + "=" + cookie}
	frCookie := map[string]string{"Cookie": sessionCookie + "=" + cookie + "; " + staffLangCookie + "=fr"}
	tests := []struct {
		name, path string
		headers    map[string]string
		status     int
		want       []string
	}{
		{"users in French", "/admin/users?lang=fr", hdr, http.StatusOK, []string{`lang="fr"`, "Utilisateurs et jetons", "Ajouter un utilisateur", ">point focal</option>", `aria-current="page">Utilisateurs`}},
		{"users in Spanish", "/admin/users?lang=es", hdr, http.StatusOK, []string{`lang="es"`, "Usuarios y tokens", "Añadir un usuario", ">punto focal</option>"}},
		{"audit in French", "/admin/audit?lang=fr", hdr, http.StatusOK, []string{`lang="fr"`, "Journal d’audit", "Filtrer"}},
		{"audit in Spanish, bad filter", "/admin/audit?lang=es&from=pronto", hdr, http.StatusBadRequest, []string{"El filtro no es válido"}},
		{"remembered language", "/admin/audit", frCookie, http.StatusOK, []string{`lang="fr"`, "Journal d’audit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expect(t, tt.name, env.doRequest("GET", tt.path, nil, tt.headers), tt.status, tt.want...)
		})
	}

	form := url.Values{"email": {"fr.page@example.org"}, "role": {"focal_point"}, "countries": {"XXX"}, "csrf": {csrf}}
	req := httptest.NewRequest("POST", "/admin/users", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", frCookie["Cookie"])
	rec := httptest.NewRecorder()
	env.h.ServeHTTP(rec, req)
	expect(t, "bad country, in French", rec, http.StatusUnprocessableEntity, "L’utilisateur n’a pas été enregistré", "unknown country", `<td>countries`)

	form.Set("countries", "KEN")
	req = httptest.NewRequest("POST", "/admin/users", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", frCookie["Cookie"])
	rec = httptest.NewRecorder()
	env.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/users?notice=notice.admin_user_added" {
		t.Fatalf("add: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	expect(t, "notice in French", env.doRequest("GET", rec.Header().Get("Location"), nil, frCookie), http.StatusOK, "Utilisateur ajouté.")
}
