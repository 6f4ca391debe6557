package database

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// Migration is one numbered step of the schema. Steps are never edited once
// released: a change to the schema is a new step.
type Migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

// schemaMigration records an applied migration.
type schemaMigration struct {
	Version   int    `gorm:"primaryKey;autoIncrement:false"`
	Name      string `gorm:"size:200;not null"`
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// Latest is the schema version this program knows.
func Latest() int { return migrations[len(migrations)-1].Version }

// Version returns the schema version of db: 0 for an empty database.
func Version(ctx context.Context, db *gorm.DB) (int, error) {
	if !db.WithContext(ctx).Migrator().HasTable(&schemaMigration{}) {
		return 0, nil
	}
	var v *int
	err := db.WithContext(ctx).Model(&schemaMigration{}).Select("MAX(version)").Scan(&v).Error
	if err != nil || v == nil {
		return 0, err
	}
	return *v, nil
}

// Check refuses a database whose schema is newer than this program knows,
// and reports how many migrations are pending.
func Check(ctx context.Context, db *gorm.DB) (pending int, err error) {
	v, err := Version(ctx, db)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if v > Latest() {
		return 0, fmt.Errorf("%w: database is at version %d, this program knows up to %d", ErrSchemaTooNew, v, Latest())
	}
	for _, m := range migrations {
		if m.Version > v {
			pending++
		}
	}
	return pending, nil
}

// Migrate applies every pending migration, each in its own transaction
// together with its record in schema_migrations, so a failed step leaves the
// schema at the previous version. On PostgreSQL an advisory lock keeps two
// instances starting at once from migrating concurrently.
func Migrate(ctx context.Context, db *gorm.DB) error {
	db = db.WithContext(ctx)
	if Dialect(db) == Postgres {
		unlock, err := advisoryLock(ctx, db)
		if err != nil {
			return err
		}
		defer unlock()
	}
	if err := db.Migrator().AutoMigrate(&schemaMigration{}); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := Version(ctx, db)
	if err != nil {
		return err
	}
	if current > Latest() {
		return fmt.Errorf("%w: database is at version %d, this program knows up to %d", ErrSchemaTooNew, current, Latest())
	}
	for _, m := range migrations {
		if m.Version <= current {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := m.Up(tx); err != nil {
				return err
			}
			return tx.Create(&schemaMigration{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
		slog.Info("applied migration", "version", m.Version, "name", m.Name)
	}
	return nil
}

// advisoryLock takes a session-level PostgreSQL advisory lock on a dedicated
// connection and returns the function that releases it.
func advisoryLock(ctx context.Context, db *gorm.DB) (func(), error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	h := fnv.New64a()
	h.Write([]byte("agora schema migrations"))
	key := int64(h.Sum64() >> 1)
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("lock for migrations: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", key)
		_ = conn.Close()
	}, nil
}

// Migrations returns the schema's history, oldest first.
func Migrations() []Migration { return append([]Migration(nil), migrations...) }
