package accounts

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// Session lifetimes: a session ends after SessionIdle without a request,
// and at the latest SessionMax after login.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 7 * 24 * time.Hour
	// PasswordLinkTTL is how long a one-time password-set link works.
	PasswordLinkTTL = 24 * time.Hour
	// seenEvery limits how often a session's last use is written.
	seenEvery = time.Minute
)

// Session is a web login. Its ID is the SHA-256 of the cookie's value, so
// a leaked database does not hand out sessions; CSRF is the token that
// state-changing requests of the session must echo.
type Session struct {
	ID         string `gorm:"primaryKey"`
	UserID     uint
	CSRF       string `gorm:"column:csrf"`
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
}

// NewSession starts a session for a user and returns the cookie's value
// (shown to nobody else, stored only hashed) and the session.
func (s *Store) NewSession(ctx context.Context, userID uint, ip, userAgent string) (string, *Session, error) {
	cookie, err := NewSecret()
	if err != nil {
		return "", nil, err
	}
	csrf, err := NewSecret()
	if err != nil {
		return "", nil, err
	}
	now := time.Now().UTC()
	sess := &Session{ID: HashSecret(cookie), UserID: userID, CSRF: csrf, CreatedAt: now,
		ExpiresAt: now.Add(SessionMax), LastSeenAt: now, IP: clip(ip, 64), UserAgent: clip(userAgent, 300)}
	if err := s.db.WithContext(ctx).Create(sess).Error; err != nil {
		return "", nil, err
	}
	return cookie, sess, nil
}

// SessionPrincipal returns the principal and the session behind a cookie's
// value, or ErrUnauthenticated when it is unknown, expired or idle too long.
func (s *Store) SessionPrincipal(ctx context.Context, cookie string) (*Principal, *Session, error) {
	if cookie == "" || len(cookie) > 100 {
		return nil, nil, ErrUnauthenticated
	}
	var sess Session
	err := s.db.WithContext(ctx).Where("id = ?", HashSecret(cookie)).Take(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, nil, err
	}
	now := time.Now().UTC()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > SessionIdle {
		_ = s.db.WithContext(ctx).Where("id = ?", sess.ID).Delete(&Session{}).Error
		return nil, nil, ErrUnauthenticated
	}
	p, err := s.principal(ctx, sess.UserID)
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(sess.LastSeenAt) > seenEvery {
		_ = s.db.WithContext(ctx).Model(&Session{}).Where("id = ?", sess.ID).Update("last_seen_at", now).Error
	}
	return p, &sess, nil
}

// EndSession deletes the session behind a cookie's value (logout).
func (s *Store) EndSession(ctx context.Context, cookie string) error {
	return s.db.WithContext(ctx).Where("id = ?", HashSecret(cookie)).Delete(&Session{}).Error
}

// EndUserSessions deletes every session of a user: after a password change
// or when the account is disabled.
func (s *Store) EndUserSessions(ctx context.Context, userID uint) error {
	return s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&Session{}).Error
}

// passwordLink is a one-time password-set link; only its hash is stored.
type passwordLink struct {
	Hash      string `gorm:"primaryKey"`
	UserID    uint
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (passwordLink) TableName() string { return "password_links" }

// NewPasswordLink issues a one-time token with which the user sets a
// password, valid PasswordLinkTTL. The token is returned once.
func (s *Store) NewPasswordLink(ctx context.Context, userID uint) (string, error) {
	if _, err := s.principal(ctx, userID); errors.Is(err, ErrUnauthenticated) {
		return "", forms.ErrNotFound
	} else if err != nil {
		return "", err
	}
	token, err := NewSecret()
	if err != nil {
		return "", err
	}
	now := time.Now().UTC()
	l := &passwordLink{Hash: HashSecret(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(PasswordLinkTTL)}
	return token, s.db.WithContext(ctx).Create(l).Error
}

// PasswordLinkUser tells whose a valid, unused link is, without using it.
func (s *Store) PasswordLinkUser(ctx context.Context, token string) (*User, error) {
	var l passwordLink
	err := s.db.WithContext(ctx).Where("hash = ? AND used_at IS NULL AND expires_at > ?", HashSecret(token), time.Now().UTC()).Take(&l).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, forms.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var u User
	if err := s.db.WithContext(ctx).Take(&u, l.UserID).Error; err != nil {
		return nil, err
	}
	return &u, nil
}

// UsePasswordLink sets the password through a link and spends the link;
// the user's other sessions end. A used or expired link is ErrNotFound.
func (s *Store) UsePasswordLink(ctx context.Context, token, password string) (*User, error) {
	if err := CheckPassword(password); err != nil {
		return nil, err
	}
	u, err := s.PasswordLinkUser(ctx, token)
	if err != nil {
		return nil, err
	}
	res := s.db.WithContext(ctx).Model(&passwordLink{}).Where("hash = ? AND used_at IS NULL", HashSecret(token)).
		Update("used_at", time.Now().UTC())
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, forms.ErrNotFound // spent by a concurrent request
	}
	if err := s.SetPassword(ctx, u.ID, password); err != nil {
		return nil, err
	}
	return u, s.EndUserSessions(ctx, u.ID)
}
