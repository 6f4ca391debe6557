package database

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Lease is a named lock held by one holder at a time among all the
// instances that share a database, until it is released or expires. An
// instance that dies holding one loses it when it expires, so a lease is
// kept by renewing it more often than its time to live.
type Lease struct {
	db     *gorm.DB
	name   string
	holder string
	ttl    time.Duration
}

// ErrLeaseLost is returned by Renew when the lease expired and another
// holder took it.
var ErrLeaseLost = errors.New("the lease expired and was taken by another holder")

// leaseRow is a row of the leases table.
type leaseRow struct {
	Name      string `gorm:"primaryKey"`
	Holder    string
	ExpiresAt time.Time
}

func (leaseRow) TableName() string { return "leases" }

// AcquireLease takes the lease name for ttl, and reports false (and no
// lease) when another holder has it and it has not expired.
func AcquireLease(ctx context.Context, db *gorm.DB, name string, ttl time.Duration) (*Lease, bool, error) {
	var id [12]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, false, err
	}
	l := &Lease{db: db, name: name, holder: hex.EncodeToString(id[:]), ttl: ttl}
	now := time.Now().UTC()
	var took bool
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("name = ? AND expires_at < ?", name, now).Delete(&leaseRow{}).Error; err != nil {
			return err
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&leaseRow{Name: name, Holder: l.holder, ExpiresAt: now.Add(ttl)})
		took = res.RowsAffected == 1
		return res.Error
	})
	if err != nil || !took {
		return nil, false, err
	}
	return l, true, nil
}

// Renew extends the lease by its time to live from now. It fails with
// ErrLeaseLost when the lease expired and another holder took it.
func (l *Lease) Renew(ctx context.Context) error {
	res := l.db.WithContext(ctx).Model(&leaseRow{}).Where("name = ? AND holder = ?", l.name, l.holder).
		Update("expires_at", time.Now().UTC().Add(l.ttl))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrLeaseLost
	}
	return nil
}

// Release gives the lease up; releasing a lease lost meanwhile is no
// error.
func (l *Lease) Release(ctx context.Context) error {
	return l.db.WithContext(ctx).Where("name = ? AND holder = ?", l.name, l.holder).Delete(&leaseRow{}).Error
}
