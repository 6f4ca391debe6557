package accounts

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/unodc-csu/agora/forms"
)

// Login back-off, so that guessing is limited but nobody can lock a known
// email out from elsewhere. Within FailureWindow:
//
//   - MaxFailures failed logins for one account from one address refuse
//     that account from that address;
//   - MaxFailuresPerIP failures from one address, whatever the account,
//     refuse that address;
//   - MaxFailuresPerAccount failures for one account from anywhere refuse
//     it from addresses it has never logged in from (KnownAddressAge), while
//     its user still gets in from an address they used before.
//
// Attempts are kept in the database, so every instance behind a load
// balancer counts the same failures.
const (
	MaxFailures           = 5
	MaxFailuresPerIP      = 20
	MaxFailuresPerAccount = 20
	FailureWindow         = 15 * time.Minute
	// KnownAddressAge is how long an address a user logged in from counts
	// as theirs.
	KnownAddressAge = 180 * 24 * time.Hour
	// MinPasswordLength is the shortest password accepted.
	MinPasswordLength = 12
)

// ErrLocked is returned while the back-off refuses logins. Its message is
// as generic as a wrong password's, to tell an attacker nothing.
var ErrLocked = errors.New("too many failed logins: try again later")

// dummyHash is compared against when the email is unknown, so that a
// login takes as long whether or not the account exists.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("agora: no such account"), bcrypt.DefaultCost)

// loginAttempt is a failed login, kept for the back-off.
type loginAttempt struct {
	ID    uint `gorm:"primaryKey"`
	At    time.Time
	Email string
	IP    string
}

func (loginAttempt) TableName() string { return "login_attempts" }

// CheckPassword validates a new password: long enough, not too long for
// bcrypt (72 bytes).
func CheckPassword(password string) error {
	ve := &forms.ValidationError{}
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		ve.Add("/password", "must have at least %d characters", MinPasswordLength)
	case len(password) > 72:
		ve.Add("/password", "must have at most 72 bytes")
	}
	return ve.OrNil()
}

// SetPassword sets the password of the user with that id.
func (s *Store) SetPassword(ctx context.Context, userID uint, password string) error {
	if err := CheckPassword(password); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"password_hash": string(hash), "updated_at": time.Now().UTC()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return forms.ErrNotFound
	}
	return nil
}

// Login checks an email and password from address ip. It answers
// ErrUnauthenticated for any wrong, unknown or disabled account, and
// ErrLocked while the back-off holds; both are recorded as failures.
func (s *Store) Login(ctx context.Context, email, password, ip string) (*Principal, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	locked, err := s.lockedOut(ctx, email, ip)
	if err != nil {
		return nil, err
	}
	if locked {
		return nil, ErrLocked
	}
	var u User
	found := s.db.WithContext(ctx).Where("email = ?", email).Take(&u).Error == nil
	hash := dummyHash
	if found && u.PasswordHash != "" {
		hash = []byte(u.PasswordHash)
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	if !found || !ok || u.DisabledAt != nil || u.PasswordHash == "" {
		if err := s.db.WithContext(ctx).Create(&loginAttempt{At: time.Now().UTC(), Email: clip(email, 320), IP: clip(ip, 64)}).Error; err != nil {
			return nil, err
		}
		return nil, ErrUnauthenticated
	}
	// A success forgets this address's failures for the account; those of
	// other addresses stay, as they may be someone else's guesses.
	if err := s.db.WithContext(ctx).Where("email = ? AND ip = ?", email, clip(ip, 64)).Delete(&loginAttempt{}).Error; err != nil {
		return nil, err
	}
	return s.principal(ctx, u.ID)
}

// lockedOut reports whether recent failures refuse a login now.
func (s *Store) lockedOut(ctx context.Context, email, ip string) (bool, error) {
	since := time.Now().UTC().Add(-FailureWindow)
	var n struct{ Pair, ByIP, ByEmail int64 }
	err := s.db.WithContext(ctx).Raw(`SELECT
		  (SELECT COUNT(*) FROM login_attempts WHERE email = ? AND ip = ? AND at > ?) AS pair,
		  (SELECT COUNT(*) FROM login_attempts WHERE ip = ? AND at > ?) AS by_ip,
		  (SELECT COUNT(*) FROM login_attempts WHERE email = ? AND at > ?) AS by_email`,
		email, ip, since, ip, since, email, since).Scan(&n).Error
	switch {
	case err != nil:
		return false, err
	case n.Pair >= MaxFailures || n.ByIP >= MaxFailuresPerIP:
		return true, nil
	case n.ByEmail < MaxFailuresPerAccount:
		return false, nil
	}
	known, err := s.knownAddress(ctx, email, ip)
	return !known, err
}

// knownAddress tells whether the user of email logged in from ip lately,
// as the audit log records every login with its address.
func (s *Store) knownAddress(ctx context.Context, email, ip string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("audit_events").
		Where("action = ? AND actor_email = ? AND ip = ? AND at > ?", "login", email, ip, time.Now().UTC().Add(-KnownAddressAge)).
		Limit(1).Count(&n).Error
	return n > 0, err
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
