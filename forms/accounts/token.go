package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// TokenPrefix starts every API token, so a leaked one is easy to recognize
// (and to search for in logs and repositories).
const TokenPrefix = "agora_"

// tokenBytes is the token's randomness: 256 bits.
const tokenBytes = 32

// lastUsedEvery limits how often authentication writes a token's last use,
// so that reads do not each cost a write.
const lastUsedEvery = time.Minute

// ErrUnauthenticated is returned for a missing, unknown, expired or revoked
// token, or a disabled user: callers learn no more than that.
var ErrUnauthenticated = errors.New("unauthenticated")

// APIToken is a bearer token. Only the SHA-256 of the secret is stored: the
// secret itself is shown once, when it is created.
type APIToken struct {
	ID         uint       `gorm:"primaryKey" json:"id"`
	UserID     uint       `json:"user_id"`
	Name       string     `json:"name"`
	Hash       string     `json:"-"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// NewSecret returns a fresh random secret of 256 bits, base64url encoded.
func NewSecret() (string, error) {
	var b [tokenBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// HashSecret is how secrets are stored: a SHA-256, hex encoded. A fast hash
// is right here because the secrets are long random strings, not passwords.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues a token for the user with the given email and returns
// the secret, which is not stored and cannot be shown again. A zero ttl
// means the token does not expire.
func (s *Store) CreateToken(ctx context.Context, email, name string, ttl time.Duration) (string, *APIToken, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return "", nil, err
	}
	secret, err := NewSecret()
	if err != nil {
		return "", nil, err
	}
	token := TokenPrefix + secret
	if name == "" {
		name = "token"
	}
	t := &APIToken{UserID: u.ID, Name: name, Hash: HashSecret(token), Prefix: token[:len(TokenPrefix)+4]}
	if ttl > 0 {
		exp := time.Now().UTC().Add(ttl)
		t.ExpiresAt = &exp
	}
	if err := s.db.WithContext(ctx).Create(t).Error; err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// RevokeToken revokes a token; revoking twice is harmless.
func (s *Store) RevokeToken(ctx context.Context, id uint) error {
	res := s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND revoked_at IS NULL", id).
		Update("revoked_at", time.Now().UTC())
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return forms.ErrNotFound
		}
	}
	return nil
}

// Tokens lists a user's tokens, newest first.
func (s *Store) Tokens(ctx context.Context, userID uint) ([]APIToken, error) {
	tokens := []APIToken{}
	return tokens, s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&tokens).Error
}

// Authenticate returns the principal behind a bearer token.
func (s *Store) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 200 {
		return nil, ErrUnauthenticated
	}
	var t APIToken
	err := s.db.WithContext(ctx).Where("hash = ?", HashSecret(token)).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	if t.RevokedAt != nil || (t.ExpiresAt != nil && now.After(*t.ExpiresAt)) {
		return nil, ErrUnauthenticated
	}
	p, err := s.principal(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > lastUsedEvery {
		// Best effort: a failed bookkeeping write must not refuse the caller.
		_ = s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error
	}
	return p, nil
}

// principal loads an enabled user as a principal.
func (s *Store) principal(ctx context.Context, userID uint) (*Principal, error) {
	var u User
	err := s.db.WithContext(ctx).Take(&u, userID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	if u.DisabledAt != nil {
		return nil, ErrUnauthenticated
	}
	if err := s.loadCountries(ctx, &u); err != nil {
		return nil, err
	}
	return &Principal{UserID: u.ID, Email: u.Email, Role: u.Role, Countries: u.Countries}, nil
}
