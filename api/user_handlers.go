package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/audit"
)

// The admin's management of users and API tokens. Every change is in the
// audit log.

func (s *Server) listUsers(c *gin.Context) error {
	users, err := s.accounts.Users(c.Request.Context())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": users})
	return nil
}

func (s *Server) getUser(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.accounts.UserByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, u)
	return nil
}

func (s *Server) createUser(c *gin.Context) error {
	var in accounts.NewUser
	if err := httpkit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, err := s.accounts.AddUser(c.Request.Context(), in)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.UserCreate, "user", u.ID, "", map[string]any{"email": u.Email, "role": u.Role, "countries": u.Countries})
	c.JSON(http.StatusCreated, u)
	return nil
}

func (s *Server) updateUser(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	var ch accounts.UserChange
	if err := httpkit.DecodeJSON(c, &ch); err != nil {
		return err
	}
	u, err := s.accounts.UpdateUser(c.Request.Context(), id, ch)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.UserUpdate, "user", u.ID, "", ch)
	c.JSON(http.StatusOK, u)
	return nil
}

// createPasswordLink issues a one-time link with which the user sets a
// password: the admin passes it on, no mail server needed.
func (s *Server) createPasswordLink(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	token, err := s.accounts.NewPasswordLink(c.Request.Context(), id)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.UserPasswordLink, "user", id, "", nil)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, gin.H{"url": s.links.Base(c) + "/password/" + token,
		"expires_at": time.Now().UTC().Add(accounts.PasswordLinkTTL)})
	return nil
}

func (s *Server) listTokens(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.accounts.UserByID(c.Request.Context(), id); err != nil {
		return err
	}
	tokens, err := s.accounts.Tokens(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": tokens})
	return nil
}

// createToken issues an API token for a user; the secret is in this answer
// only.
func (s *Server) createToken(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	var body struct {
		Name     string `json:"name"`
		TTLHours int    `json:"ttl_hours"`
	}
	if err := httpkit.DecodeJSON(c, &body); err != nil {
		return err
	}
	if body.TTLHours < 0 || len(body.Name) > 200 {
		return httpkit.BadRequest("name has at most 200 characters and ttl_hours is 0 (no expiry) or more")
	}
	u, err := s.accounts.UserByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	secret, t, err := s.accounts.CreateToken(c.Request.Context(), u.Email, body.Name, time.Duration(body.TTLHours)*time.Hour)
	if err != nil {
		return err
	}
	s.recorder.Record(c, audit.TokenCreate, "token", t.ID, "", map[string]any{"user_id": u.ID, "name": t.Name})
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, gin.H{"token": secret, "item": t})
	return nil
}

func (s *Server) revokeToken(c *gin.Context) error {
	id, err := httpkit.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeToken(c.Request.Context(), id); err != nil {
		return err
	}
	s.recorder.Record(c, audit.TokenRevoke, "token", id, "", nil)
	t, err := s.accounts.Token(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}
