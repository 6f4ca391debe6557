package forms

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"

	"gorm.io/gorm"
)

// An anonymous consultation promises that nobody — not an admin, not
// someone reading the database or a backup — can tell which stakeholder
// gave which response:
//
//   - a response is never tied to its invitation, not even as a draft: it
//     has a random id from its first save, no invitation, no language,
//     section 0, and its times to the day; the link finds it again by its
//     Locator, a hash of the token that the invitation's own hash cannot
//     be joined to;
//   - a client's submission id is kept as a hash with the locator;
//   - the invitation's opened, started and submitted marks are kept to the
//     day, and written by one statement that rewrites every invitation of
//     the consultation, so that the order of the rows on disk (which
//     PostgreSQL changes with each update) says nothing about who acted
//     when; the submitted mark is written in a transaction of its own
//     after the response's, and ResolveLink repairs it should it be
//     missing.
//
// Texts and rows are listed in an order unrelated to time everywhere (see
// the analysis and exports packages), visitors' addresses are not kept,
// and SQLite overwrites what it deletes (secure_delete). A draft saved
// before responses had a locator moves to a row of its own at submission
// (Store.unlink).

// anonymousIDFloor keeps random response ids clear of the ids a database
// sequence hands out, and anonymousIDSpan below 2^53, so that JSON readers
// keep every digit.
const (
	anonymousIDFloor = 1 << 40
	anonymousIDSpan  = 1<<52 - anonymousIDFloor
)

// stamp is the time to store for an event of consultation c at t: to the
// day in anonymous consultations, as is otherwise.
func stamp(c *Consultation, t time.Time) time.Time {
	t = t.UTC()
	if c != nil && c.Anonymity == AnonymityAnonymous {
		return t.Truncate(24 * time.Hour)
	}
	return t
}

// anonymousID draws a response id that says nothing of when it was made.
func anonymousID() uint {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return uint(anonymousIDFloor + binary.BigEndian.Uint64(b[:])%anonymousIDSpan)
}

// submissionKey is how a client's submission id is stored: as it is,
// except in anonymous consultations, where a client could have built it
// from something that names them.
func submissionKey(sess *Session, id string) string {
	if id == "" || sess.locator == "" {
		return id
	}
	sum := sha256.Sum256([]byte(sess.locator + "\x00" + id))
	return "h:" + hex.EncodeToString(sum[:])
}

// markSubmitted records on an anonymous consultation's invitation that its
// response is in, to the day, apart from the response itself.
func (s *Store) markSubmitted(ctx context.Context, sess *Session) error {
	inv := sess.Invitation
	if inv == nil || inv.SubmittedAt != nil {
		return nil
	}
	day := stamp(sess.Consultation, time.Now())
	if err := touchInvitation(s.db.WithContext(ctx), sess, day, "started_at", "submitted_at"); err != nil {
		return err
	}
	inv.SubmittedAt = &day
	if inv.StartedAt == nil {
		inv.StartedAt = &day
	}
	return nil
}

// touchInvitation sets the columns of the session's invitation to t where
// they are unset. In an anonymous consultation the statement rewrites
// every invitation of the consultation, the others unchanged, so that no
// row moves alone.
func touchInvitation(tx *gorm.DB, sess *Session, t time.Time, columns ...string) error {
	id := sess.Invitation.ID
	set := map[string]any{}
	q := tx.Model(&Invitation{})
	if sess.Consultation.Anonymity != AnonymityAnonymous {
		for _, c := range columns {
			set[c] = gorm.Expr("COALESCE("+c+", ?)", t)
		}
		return q.Where("id = ?", id).Updates(set).Error
	}
	for _, c := range columns {
		set[c] = gorm.Expr("CASE WHEN id = ? THEN COALESCE("+c+", ?) ELSE "+c+" END", id, t)
	}
	return q.Where("consultation_id = ?", sess.Consultation.ID).Updates(set).Error
}
