package database

import (
	"context"

	"gorm.io/gorm"
)

// MigrateThrough applies the migrations up to version v only, so that a
// test can write rows in an older schema and check how a later step
// upgrades them.
func MigrateThrough(ctx context.Context, db *gorm.DB, v int) error {
	all := migrations
	defer func() { migrations = all }()
	for i, m := range all {
		if m.Version > v {
			migrations = all[:i]
			break
		}
	}
	return Migrate(ctx, db)
}
