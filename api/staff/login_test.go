package staff_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
)

func TestLoginPortalLogout(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	qid := env.DeployDemo()
	for _, c := range []struct{ country, title string }{{"KEN", `Kenya <script>alert("x")</script>`}, {"MEX", "Mexico only"}} {
		if _, err := env.Forms().CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{QuestionnaireID: qid, Country: c.country, Title: c.title}, nil); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := env.Accounts().UserByEmail(ctx, "focal.ken@example.org")
	if err := env.Accounts().SetPassword(ctx, u.ID, "kenya password 1"); err != nil {
		t.Fatal(err)
	}

	rec := env.PostLogin("focal.ken@example.org", "not the password")
	if rec.Code != http.StatusUnauthorized || apitest.SessionCookieOf(rec) != nil || !strings.Contains(rec.Body.String(), "Wrong email or password") {
		t.Fatalf("wrong password: %d %v", rec.Code, rec.Body)
	}
	rec = env.PostLogin("focal.ken@example.org", "kenya password 1")
	ck := apitest.SessionCookieOf(rec)
	if rec.Code != http.StatusSeeOther || ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
		t.Fatalf("login: %d cookie %+v", rec.Code, ck)
	}
	cookie := map[string]string{"Cookie": httpkit.SessionCookie + "=" + ck.Value}
	portal := env.DoRequest("GET", "/portal", nil, cookie)
	body := portal.Body.String()
	if portal.Code != http.StatusOK || !strings.Contains(body, "Kenya &lt;script&gt;") || strings.Contains(body, "<script>") || strings.Contains(body, "Mexico only") {
		t.Fatalf("portal of Kenya's focal point: %d\n%s", portal.Code, body)
	}
	apitest.CheckSecurityHeaders(t, "portal", portal.Header(), false)
	if rec := env.DoRequest("GET", "/api/v1/consultations", nil, cookie); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Mexico only") {
		t.Fatalf("API by cookie: %d %s", rec.Code, rec.Body)
	}
	stake := apitest.StakeholderBody("Cookie org", "KEN")
	if rec := env.DoRequest("POST", "/api/v1/stakeholders", stake, cookie); rec.Code != http.StatusForbidden {
		t.Fatalf("write by cookie without CSRF: %d %s", rec.Code, rec.Body)
	}
	_, s, err := env.Accounts().SessionPrincipal(ctx, ck.Value)
	if err != nil {
		t.Fatal(err)
	}
	withCSRF := map[string]string{"Cookie": cookie["Cookie"], "X-CSRF-Token": s.CSRF}
	if rec := env.DoRequest("POST", "/api/v1/stakeholders", stake, withCSRF); rec.Code != http.StatusCreated {
		t.Fatalf("write by cookie with CSRF: %d %s", rec.Code, rec.Body)
	}
	if rec := env.DoRequest("POST", "/logout", nil, withCSRF); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d %s", rec.Code, rec.Body)
	}
	if rec := env.DoRequest("GET", "/portal", nil, cookie); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("portal after logout: %d", rec.Code)
	}
	got := apitest.Decode[apitest.AuditList](t, env.Do("admin", "GET", "/api/v1/audit?actor=focal.ken@example.org", nil))
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
	u, _ := env.Accounts().UserByEmail(ctx, "analyst@example.org")
	if err := env.Accounts().SetPassword(ctx, u.ID, "analyst password"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < accounts.MaxFailures; i++ {
		if rec := env.PostLogin("analyst@example.org", "guess"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, rec.Code)
		}
	}
	rec := env.PostLogin("analyst@example.org", "analyst password")
	if rec.Code != http.StatusUnauthorized || apitest.SessionCookieOf(rec) != nil {
		t.Fatalf("login during the back-off: %d", rec.Code)
	}
	if rec := env.Browser().Post("/login", url.Values{"email": {"analyst@example.org"}}, "Origin", "http://evil.example"); rec.Code != http.StatusForbidden {
		t.Fatalf("cross-site login form: %d", rec.Code)
	}
}

func TestPasswordLinkAndUserAdmin(t *testing.T) {
	env := newTestEnv(t)
	rec := env.Do("admin", "POST", "/api/v1/users", map[string]any{"email": "New.FP@example.org", "role": "focal_point", "countries": []string{"MEX"}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("add user: %d %s", rec.Code, rec.Body)
	}
	id := apitest.Decode[accounts.User](t, rec).ID
	link := apitest.Decode[struct{ URL string }](t, env.Do("admin", "POST", fmt.Sprintf("/api/v1/users/%d/password-link", id), nil)).URL
	path := strings.TrimPrefix(link, "http://agora.test")
	if !strings.HasPrefix(path, "/password/") {
		t.Fatalf("link %q", link)
	}
	b := env.Browser()
	apitest.Expect(t, "link page", b.Get(path), http.StatusOK, "new.fp@example.org")
	apitest.Expect(t, "short password", b.Post(path, url.Values{"password": {"short"}}, "Origin", "http://agora.test"), http.StatusUnprocessableEntity)
	apitest.Expect(t, "set password", b.Post(path, url.Values{"password": {"a good long password"}}, "Origin", "http://agora.test"), http.StatusOK, "Your password is set")
	apitest.Expect(t, "link spent", b.Get(path), http.StatusNotFound)
	if rec := env.PostLogin("new.fp@example.org", "a good long password"); rec.Code != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d", rec.Code)
	}

	tok := apitest.Decode[struct {
		Token string
		Item  accounts.APIToken
	}](t, env.Do("admin", "POST", fmt.Sprintf("/api/v1/users/%d/tokens", id), map[string]any{"name": "script"}))
	if !strings.HasPrefix(tok.Token, accounts.TokenPrefix) {
		t.Fatalf("token %+v", tok)
	}
	if rec := env.DoRequest("GET", "/api/v1/consultations", nil, map[string]string{"Authorization": "Bearer " + tok.Token}); rec.Code != http.StatusOK {
		t.Fatalf("new token: %d", rec.Code)
	}
	list := apitest.Decode[struct{ Items []accounts.APIToken }](t, env.Do("admin", "GET", fmt.Sprintf("/api/v1/users/%d/tokens", id), nil))
	if len(list.Items) != 1 || list.Items[0].LastUsedAt == nil || strings.Contains(env.Do("admin", "GET", fmt.Sprintf("/api/v1/users/%d/tokens", id), nil).Body.String(), tok.Token) {
		t.Fatalf("tokens: %+v", list.Items)
	}
	if rec := env.Do("admin", "POST", fmt.Sprintf("/api/v1/tokens/%d/revoke", tok.Item.ID), nil); rec.Code != http.StatusOK {
		t.Fatalf("revoke: %d", rec.Code)
	}
	if rec := env.DoRequest("GET", "/api/v1/consultations", nil, map[string]string{"Authorization": "Bearer " + tok.Token}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", rec.Code)
	}
	if rec := env.Do("admin", "PUT", fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"disabled": true}); rec.Code != http.StatusOK {
		t.Fatalf("disable: %d %s", rec.Code, rec.Body)
	}
	if rec := env.PostLogin("new.fp@example.org", "a good long password"); rec.Code != http.StatusUnauthorized {
		t.Fatalf("login of a disabled user: %d", rec.Code)
	}
	got := apitest.Decode[apitest.AuditList](t, env.Do("admin", "GET", "/api/v1/audit?action=user.", nil))
	if len(got.Items) != 4 { // create, password_link, password, update
		t.Errorf("user events: %+v", got.Items)
	}
	got = apitest.Decode[apitest.AuditList](t, env.Do("admin", "GET", "/api/v1/audit?action=token.", nil))
	if len(got.Items) != 2 {
		t.Errorf("token events: %+v", got.Items)
	}
}

func TestAdminPages(t *testing.T) {
	env := newTestEnv(t)
	cookie, csrf := env.Login("admin")
	hdr := map[string]string{"Cookie": httpkit.SessionCookie + "=" + cookie}
	post := func(path string, form url.Values, withCSRF bool) *httptest.ResponseRecorder {
		if withCSRF {
			form.Set("csrf", csrf)
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", hdr["Cookie"])
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		return rec
	}
	apitest.Expect(t, "users page", env.DoRequest("GET", "/admin/users", nil, hdr), http.StatusOK, "focal.ken@example.org", `name="csrf" value="`+csrf+`"`)
	if rec := post("/admin/users", url.Values{"email": {"page@example.org"}, "role": {"focal_point"}, "countries": {"ken"}}, false); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("add without CSRF: %d %s", rec.Code, rec.Header())
	}
	if rec := post("/admin/users", url.Values{"email": {"page@example.org"}, "role": {"focal_point"}, "countries": {"ken"}}, true); rec.Code != http.StatusSeeOther {
		t.Fatalf("add: %d %s", rec.Code, rec.Body)
	}
	u, err := env.Accounts().UserByEmail(context.Background(), "page@example.org")
	if err != nil || len(u.Countries) != 1 || u.Countries[0] != "KEN" {
		t.Fatalf("added: %+v %v", u, err)
	}
	apitest.Expect(t, "bad country", post(fmt.Sprintf("/admin/users/%d", u.ID), url.Values{"name": {"P"}, "role": {"focal_point"}, "countries": {"XXX"}}, true), http.StatusUnprocessableEntity, "unknown country")
	rec := post(fmt.Sprintf("/admin/users/%d/tokens", u.ID), url.Values{"name": {"page token"}}, true)
	apitest.Expect(t, "token", rec, http.StatusCreated, "shown only once", accounts.TokenPrefix)
	apitest.Expect(t, "link", post(fmt.Sprintf("/admin/users/%d/password-link", u.ID), url.Values{}, true), http.StatusOK, "http://agora.test/password/")
	apitest.Expect(t, "audit page", env.DoRequest("GET", "/admin/audit?action=token.", nil, hdr), http.StatusOK, "token.create")
	apitest.Expect(t, "audit page, bad filter", env.DoRequest("GET", "/admin/audit?from=soon", nil, hdr), http.StatusBadRequest)
	fk, _ := env.Login("focal_ken")
	if rec := env.DoRequest("GET", "/admin/users", nil, map[string]string{"Cookie": httpkit.SessionCookie + "=" + fk}); rec.Code != http.StatusForbidden {
		t.Fatalf("focal point on the users page: %d", rec.Code)
	}
}

// TestAuthPagesTranslated renders the login and password pages in French
// and Spanish, by ?lang= and by the remembered choice, with the refusals in
// the same language and what the user typed escaped.
func TestAuthPagesTranslated(t *testing.T) {
	env := newTestEnv(t)
	rec := env.Do("admin", "POST", "/api/v1/users", map[string]any{"email": "lang.fp@example.org", "role": "focal_point", "countries": []string{"MEX"}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("add user: %d %s", rec.Code, rec.Body)
	}
	id := apitest.Decode[accounts.User](t, rec).ID
	link := apitest.Decode[struct{ URL string }](t, env.Do("admin", "POST", fmt.Sprintf("/api/v1/users/%d/password-link", id), nil)).URL
	path := strings.TrimPrefix(link, "http://agora.test")
	b := env.Browser()
	fr := []string{"Cookie", httpkit.LangCookie + "=fr", "Origin", "http://agora.test"}
	tests := []struct {
		name   string
		rec    *httptest.ResponseRecorder
		status int
		want   []string
	}{
		{"login in French", b.Get("/login?lang=fr"), http.StatusOK, []string{`lang="fr"`, "Mot de passe", "Se connecter"}},
		{"login in Spanish", b.Get("/login?lang=es"), http.StatusOK, []string{`lang="es"`, "Contraseña", "Iniciar sesión"}},
		{"browser's language", b.Get("/login", "Accept-Language", "es-MX,es;q=0.9"), http.StatusOK, []string{`lang="es"`, "Correo electrónico"}},
		{"refused in French, typed text escaped", b.Post("/login", url.Values{"email": {`<b>x</b>@example.org`}, "password": {"no"}}, fr...),
			http.StatusUnauthorized, []string{`lang="fr"`, "Adresse ou mot de passe incorrect", "&lt;b&gt;x&lt;/b&gt;@example.org"}},
		{"other site in Spanish", b.Post("/login", url.Values{"email": {"a@example.org"}}, "Cookie", httpkit.LangCookie+"=es", "Origin", "http://evil.example"),
			http.StatusForbidden, []string{"Este formulario se envió desde otro sitio."}},
		{"password link in Spanish", b.Get(path + "?lang=es"), http.StatusOK, []string{`lang="es"`, "Elija una contraseña para lang.fp@example.org", "Nueva contraseña"}},
		{"short password in French", b.Post(path, url.Values{"password": {"court"}}, fr...), http.StatusUnprocessableEntity,
			[]string{"Le mot de passe doit compter au moins 12 caractères"}},
		{"password set, in French", b.Post(path, url.Values{"password": {"un bon mot de passe"}}, fr...), http.StatusOK,
			[]string{`lang="fr"`, "Votre mot de passe est enregistré", "Connexion"}},
		{"spent link in Spanish", b.Get(path + "?lang=es"), http.StatusNotFound, []string{"Este enlace no es válido"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { apitest.Expect(t, tt.name, tt.rec, tt.status, tt.want...) })
	}
}

// TestAdminPagesTranslated renders the users and audit pages in French and
// Spanish, with roles by their names and a refused form's problems.
func TestAdminPagesTranslated(t *testing.T) {
	env := newTestEnv(t)
	cookie, csrf := env.Login("admin")
	hdr := map[string]string{"Cookie": httpkit.SessionCookie + "=" + cookie}
	frCookie := map[string]string{"Cookie": httpkit.SessionCookie + "=" + cookie + "; " + httpkit.LangCookie + "=fr"}
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
			apitest.Expect(t, tt.name, env.DoRequest("GET", tt.path, nil, tt.headers), tt.status, tt.want...)
		})
	}

	form := url.Values{"email": {"fr.page@example.org"}, "role": {"focal_point"}, "countries": {"XXX"}, "csrf": {csrf}}
	req := httptest.NewRequest("POST", "/admin/users", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", frCookie["Cookie"])
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, req)
	apitest.Expect(t, "bad country, in French", rec, http.StatusUnprocessableEntity, "L’utilisateur n’a pas été enregistré", "unknown country", `<td>countries`)

	form.Set("countries", "KEN")
	req = httptest.NewRequest("POST", "/admin/users", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", frCookie["Cookie"])
	rec = httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/users?notice=notice.admin_user_added" {
		t.Fatalf("add: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	apitest.Expect(t, "notice in French", env.DoRequest("GET", rec.Header().Get("Location"), nil, frCookie), http.StatusOK, "Utilisateur ajouté.")
}
