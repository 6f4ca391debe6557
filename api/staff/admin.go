package staff

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
)

// The admin's pages: users, roles, countries and tokens, and the audit
// log. They call the same account functions as the admin API, and record
// the same audit events. Their forms carry the session's CSRF token.

// adminUsersPage lists the users with their tokens. secret, when set, is
// a new token or link, shown this once; problem, when set, is what went
// wrong with a form, with the fields' problems.
func (s *Pages) adminUsersPage(c *gin.Context, status int, secret string, problem *pageProblems) {
	ctx := c.Request.Context()
	page := s.page(c, "admin.users_title", "users")
	page.Secret, page.Roles, page.Tokens = secret, accounts.Roles, map[uint][]accounts.APIToken{}
	if problem != nil {
		page.Error, page.Problems = problem.Error, problem.Problems
	}
	users, err := s.accounts.Users(ctx)
	if err != nil {
		s.failPage(c, err)
		return
	}
	for _, u := range users {
		if page.Tokens[u.ID], err = s.accounts.Tokens(ctx, u.ID); err != nil {
			s.failPage(c, err)
			return
		}
	}
	page.Users = users
	renderStaff(c, status, "users", page)
}

// AdminUsers answers GET /admin/users: the accounts, their roles,
// countries and API tokens.
func (s *Pages) AdminUsers(c *gin.Context) { s.adminUsersPage(c, http.StatusOK, "", nil) }

// pageProblems is a form's refusal: a sentence and the fields' problems.
type pageProblems struct {
	Error    string
	Problems []pageProblem
}

// adminFail shows a domain error on the users page, or fails.
func (s *Pages) adminFail(c *gin.Context, err error) {
	var ve *forms.ValidationError
	var ce *forms.ConflictError
	msg := staffCatalog.Messages(staffLang(c))
	switch {
	case errors.As(err, &ve):
		pp := &pageProblems{Error: msg.T("admin.user_invalid")}
		pp.Problems = fieldProblems(ve.Fields)
		s.adminUsersPage(c, http.StatusUnprocessableEntity, "", pp)
	case errors.As(err, &ce):
		s.adminUsersPage(c, http.StatusConflict, "", &pageProblems{Error: msg.T("admin.user_conflict", "reason", ce.Reason)})
	default:
		s.failPage(c, err)
	}
}

// AdminAddUser answers POST /admin/users: a new account.
func (s *Pages) AdminAddUser(c *gin.Context) {
	in := accounts.NewUser{Email: c.PostForm("email"), Name: c.PostForm("name"), Role: c.PostForm("role"), Countries: splitCodes(c.PostForm("countries"))}
	u, err := s.accounts.AddUser(c.Request.Context(), in)
	if err != nil {
		s.adminFail(c, err)
		return
	}
	s.recorder.Record(c, audit.UserCreate, "user", u.ID, "", map[string]any{"email": u.Email, "role": u.Role, "countries": u.Countries})
	redirectNotice(c, "/admin/users", "notice.admin_user_added")
}

// AdminUpdateUser answers POST /admin/users/:id: a changed role,
// countries, name or state.
func (s *Pages) AdminUpdateUser(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, err)
		return
	}
	disabled := c.PostForm("disabled") != ""
	ch := accounts.UserChange{Disabled: &disabled}
	if name, ok := c.GetPostForm("name"); ok {
		ch.Name = &name
	}
	if role := c.PostForm("role"); role != "" {
		ch.Role = &role
	}
	if countries, ok := c.GetPostForm("countries"); ok {
		ch.Countries = append([]string{}, splitCodes(countries)...)
	}
	if _, err := s.accounts.UpdateUser(c.Request.Context(), id, ch); err != nil {
		s.adminFail(c, err)
		return
	}
	s.recorder.Record(c, audit.UserUpdate, "user", id, "", ch)
	redirectNotice(c, "/admin/users", "notice.saved")
}

// AdminPasswordLink answers POST /admin/users/:id/password-link: a
// one-time link to set a password, shown once.
func (s *Pages) AdminPasswordLink(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err == nil {
		var token string
		if token, err = s.accounts.NewPasswordLink(c.Request.Context(), id); err == nil {
			s.recorder.Record(c, audit.UserPasswordLink, "user", id, "", nil)
			s.adminUsersPage(c, http.StatusOK, s.links.Base(c)+"/password/"+token, nil)
			return
		}
	}
	s.failPage(c, err)
}

// AdminCreateToken answers POST /admin/users/:id/tokens: an API token,
// shown once.
func (s *Pages) AdminCreateToken(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		s.failPage(c, err)
		return
	}
	u, err := s.accounts.UserByID(c.Request.Context(), id)
	if err != nil {
		s.failPage(c, err)
		return
	}
	secret, t, err := s.accounts.CreateToken(c.Request.Context(), u.Email, clipText(c.PostForm("name"), 200), 0)
	if err != nil {
		s.failPage(c, err)
		return
	}
	s.recorder.Record(c, audit.TokenCreate, "token", t.ID, "", map[string]any{"user_id": u.ID, "name": t.Name})
	s.adminUsersPage(c, http.StatusCreated, secret, nil)
}

// AdminRevokeToken answers POST /admin/tokens/:id/revoke.
func (s *Pages) AdminRevokeToken(c *gin.Context) {
	id, err := httpkit.PathID(c, "id")
	if err == nil {
		err = s.accounts.RevokeToken(c.Request.Context(), id)
	}
	if err != nil {
		s.failPage(c, err)
		return
	}
	s.recorder.Record(c, audit.TokenRevoke, "token", id, "", nil)
	redirectNotice(c, "/admin/users", "notice.admin_token_revoked")
}

// AdminAudit lists the audit log with the API's filters.
func (s *Pages) AdminAudit(c *gin.Context) {
	page := s.page(c, "admin.audit_title", "audit")
	page.From, page.To = c.Query("from"), c.Query("to")
	f, err := httpkit.AuditFilter(c)
	status := http.StatusOK
	if err != nil {
		page.Error, status = page.T("admin.audit_bad_filter"), http.StatusBadRequest
		if e := httpkit.ToError(err); e != nil {
			page.Problems = []pageProblem{{Problem: e.Message}}
		}
		f = audit.Filter{Limit: 1}
		f.Before = 1 // show nothing rather than everything
	}
	if f.Limit == 0 {
		f.Limit = 200
	}
	page.Filter = f
	if page.Events, err = s.audit.List(c.Request.Context(), f); err != nil {
		s.failPage(c, err)
		return
	}
	renderStaff(c, status, "audit", page)
}

// splitCodes reads "KEN, mex" as [KEN MEX]; empty gives nil.
func splitCodes(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.ToUpper(p))
		}
	}
	return out
}

func clipText(s string, n int) string {
	if len(s) > n {
		return fmt.Sprintf("%.*s", n, s)
	}
	return s
}
