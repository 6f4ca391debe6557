package database

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// setting is one installation-wide value.
type setting struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (setting) TableName() string { return "settings" }

const secretKey = "signing_secret"

// InstanceSecret returns the installation's signing secret, drawing and
// storing a random one on first use. Kept in the database, it is shared by
// every instance and survives restarts, so nobody has to configure one; a
// configured AGORA_SECRET takes precedence over it.
func InstanceSecret(ctx context.Context, db *gorm.DB) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	fresh := setting{Key: secretKey, Value: base64.RawURLEncoding.EncodeToString(b[:])}
	// Two instances starting together: the first insert wins, both read it.
	if err := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&fresh).Error; err != nil {
		return "", err
	}
	var stored setting
	if err := db.WithContext(ctx).Take(&stored, "key = ?", secretKey).Error; err != nil {
		return "", err
	}
	if stored.Value == "" {
		return "", errors.New("the stored signing secret is empty")
	}
	return stored.Value, nil
}
