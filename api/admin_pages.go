package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
)

// The admin's pages: users, roles, countries and tokens, and the audit
// log. They call the same account functions as the admin API, and record
// the same audit events. Their forms carry the session's CSRF token.

// adminUsersPage lists the users with their tokens. secret, when set, is
// a new token or link, shown this once.
func (s *Server) adminUsersPage(c *gin.Context, status int, secret, problem string) {
	ctx, p := c.Request.Context(), principal(c)
	page := &staffPage{Title: "Users and tokens", User: p, CSRF: session(c).CSRF, Secret: secret, Error: problem,
		Roles: accounts.Roles, Tokens: map[uint][]accounts.APIToken{}}
	users, err := s.accounts.Users(ctx)
	if err != nil {
		fail(c, err)
		return
	}
	for _, u := range users {
		if page.Tokens[u.ID], err = s.accounts.Tokens(ctx, u.ID); err != nil {
			fail(c, err)
			return
		}
	}
	page.Users = users
	renderStaff(c, status, "users", page)
}

func (s *Server) adminUsers(c *gin.Context) { s.adminUsersPage(c, http.StatusOK, "", "") }

// adminFail shows a domain error on the users page, or fails.
func (s *Server) adminFail(c *gin.Context, err error) {
	var ve *forms.ValidationError
	var ce *forms.ConflictError
	switch {
	case errors.As(err, &ve):
		msgs := []string{}
		for _, f := range ve.Fields {
			msgs = append(msgs, strings.TrimPrefix(f.Path, "/")+": "+f.Message)
		}
		s.adminUsersPage(c, http.StatusUnprocessableEntity, "", strings.Join(msgs, "; "))
	case errors.As(err, &ce):
		s.adminUsersPage(c, http.StatusConflict, "", ce.Reason)
	default:
		fail(c, err)
	}
}

func (s *Server) adminAddUser(c *gin.Context) {
	in := accounts.NewUser{Email: c.PostForm("email"), Name: c.PostForm("name"), Role: c.PostForm("role"), Countries: splitCodes(c.PostForm("countries"))}
	u, err := s.accounts.AddUser(c.Request.Context(), in)
	if err != nil {
		s.adminFail(c, err)
		return
	}
	s.record(c, audit.UserCreate, "user", u.ID, "", map[string]any{"email": u.Email, "role": u.Role, "countries": u.Countries})
	c.Redirect(http.StatusSeeOther, "/admin/users")
}

func (s *Server) adminUpdateUser(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
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
	s.record(c, audit.UserUpdate, "user", id, "", ch)
	c.Redirect(http.StatusSeeOther, "/admin/users")
}

func (s *Server) adminPasswordLink(c *gin.Context) {
	id, err := pathID(c, "id")
	if err == nil {
		var token string
		if token, err = s.accounts.NewPasswordLink(c.Request.Context(), id); err == nil {
			s.record(c, audit.UserPasswordLink, "user", id, "", nil)
			s.adminUsersPage(c, http.StatusOK, s.baseURL(c)+"/password/"+token, "")
			return
		}
	}
	fail(c, err)
}

func (s *Server) adminCreateToken(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	u, err := s.accounts.UserByID(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	secret, t, err := s.accounts.CreateToken(c.Request.Context(), u.Email, clipText(c.PostForm("name"), 200), 0)
	if err != nil {
		fail(c, err)
		return
	}
	s.record(c, audit.TokenCreate, "token", t.ID, "", map[string]any{"user_id": u.ID, "name": t.Name})
	s.adminUsersPage(c, http.StatusCreated, secret, "")
}

func (s *Server) adminRevokeToken(c *gin.Context) {
	id, err := pathID(c, "id")
	if err == nil {
		err = s.accounts.RevokeToken(c.Request.Context(), id)
	}
	if err != nil {
		fail(c, err)
		return
	}
	s.record(c, audit.TokenRevoke, "token", id, "", nil)
	c.Redirect(http.StatusSeeOther, "/admin/users")
}

// adminAudit lists the audit log with the API's filters.
func (s *Server) adminAudit(c *gin.Context) {
	page := &staffPage{Title: "Audit log", User: principal(c), CSRF: session(c).CSRF, From: c.Query("from"), To: c.Query("to")}
	f, err := auditFilter(c)
	status := http.StatusOK
	if err != nil {
		page.Error, status = err.Error(), http.StatusBadRequest
		f = audit.Filter{Limit: 1}
		f.Before = 1 // show nothing rather than everything
	}
	if f.Limit == 0 {
		f.Limit = 200
	}
	page.Filter = f
	if page.Events, err = s.audit.List(c.Request.Context(), f); err != nil {
		fail(c, err)
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
