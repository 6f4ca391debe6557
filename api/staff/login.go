package staff

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
)

// LoginPage answers GET /login, or sends a signed-in caller to the
// portal.
func (s *Pages) LoginPage(c *gin.Context) {
	if cookie, err := c.Cookie(httpkit.SessionCookie); err == nil {
		if _, _, err := s.accounts.SessionPrincipal(c.Request.Context(), cookie); err == nil {
			c.Redirect(http.StatusSeeOther, "/portal")
			return
		}
	}
	renderStaff(c, http.StatusOK, "login", s.page(c, "auth.login_title", ""))
}

// Login checks the credentials, starts a session and records the attempt.
func (s *Pages) Login(c *gin.Context) {
	email := c.PostForm("email")
	page := s.page(c, "auth.login_title", "")
	page.Email = email
	if !httpkit.SameOrigin(c.Request, s.links.Configured()) {
		page.Error = page.T("auth.other_site")
		renderStaff(c, http.StatusForbidden, "login", page)
		return
	}
	ctx := c.Request.Context()
	p, err := s.accounts.Login(ctx, email, c.PostForm("password"), c.ClientIP())
	if errors.Is(err, accounts.ErrUnauthenticated) || errors.Is(err, accounts.ErrLocked) {
		_ = s.audit.Record(ctx, audit.Event{Action: audit.LoginFailed, ObjectType: "user", ActorEmail: email, IP: c.ClientIP()},
			map[string]bool{"locked": errors.Is(err, accounts.ErrLocked)})
		page.Error = page.T("auth.login_refused")
		renderStaff(c, http.StatusUnauthorized, "login", page)
		return
	}
	if err != nil {
		httpkit.Fail(c, err)
		return
	}
	cookie, sess, err := s.accounts.NewSession(ctx, p.UserID, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		httpkit.Fail(c, err)
		return
	}
	httpkit.SetPrincipal(c, p)
	s.recorder.Record(c, audit.LoginSucceeded, "user", p.UserID, "", nil)
	s.sessions.SetCookie(c, cookie, int(time.Until(sess.ExpiresAt).Seconds()))
	c.Redirect(http.StatusSeeOther, "/portal")
}

// Logout ends the session (authenticate has checked its CSRF token).
func (s *Pages) Logout(c *gin.Context) {
	if cookie, err := c.Cookie(httpkit.SessionCookie); err == nil {
		if err := s.accounts.EndSession(c.Request.Context(), cookie); err != nil {
			httpkit.Fail(c, err)
			return
		}
	}
	s.recorder.Record(c, audit.Logout, "user", httpkit.Principal(c).UserID, "", nil)
	s.sessions.SetCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}

// PasswordPage answers GET /password/:token: the form that sets a
// password with a one-time link.
func (s *Pages) PasswordPage(c *gin.Context) {
	page := s.page(c, "auth.password_title", "")
	u, err := s.accounts.PasswordLinkUser(c.Request.Context(), c.Param("token"))
	if err != nil {
		page.Error = page.T("auth.link_invalid")
		renderStaff(c, http.StatusNotFound, "password", page)
		return
	}
	page.Email, page.Token = u.Email, c.Param("token")
	renderStaff(c, http.StatusOK, "password", page)
}

// SetPassword spends a one-time link: the link's secret is the proof, and
// the same-origin check keeps other sites from posting it.
func (s *Pages) SetPassword(c *gin.Context) {
	token := c.Param("token")
	page := s.page(c, "auth.password_title", "")
	if !httpkit.SameOrigin(c.Request, s.links.Configured()) {
		page.Error = page.T("auth.other_site")
		renderStaff(c, http.StatusForbidden, "password", page)
		return
	}
	u, err := s.accounts.UsePasswordLink(c.Request.Context(), token, c.PostForm("password"))
	var ve *forms.ValidationError
	switch {
	case errors.As(err, &ve):
		page.Token, page.Error = token, page.T("auth.password_too_short")
		if lu, err := s.accounts.PasswordLinkUser(c.Request.Context(), token); err == nil {
			page.Email = lu.Email
		}
		renderStaff(c, http.StatusUnprocessableEntity, "password", page)
		return
	case errors.Is(err, forms.ErrNotFound):
		s.PasswordPage(c)
		return
	case err != nil:
		httpkit.Fail(c, err)
		return
	}
	id := u.ID
	_ = s.audit.Record(c.Request.Context(), audit.Event{ActorID: &id, ActorEmail: u.Email, Action: audit.UserPassword, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), IP: c.ClientIP()}, map[string]string{"via": "link"})
	page = s.page(c, "auth.login_title", "")
	page.Notice, page.Email = page.T("auth.password_set"), u.Email
	renderStaff(c, http.StatusOK, "login", page)
}
