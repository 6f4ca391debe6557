package database

import "gorm.io/gorm"

// SetMaxOpenConns bounds the connections db may hold open at once; n <= 0
// keeps the default chosen by Open. Several instances sharing one
// PostgreSQL server must together stay below its max_connections: size
// each one's pool accordingly.
func SetMaxOpenConns(db *gorm.DB, n int) error {
	if n <= 0 {
		return nil
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	sqlDB.SetMaxOpenConns(n)
	sqlDB.SetMaxIdleConns(n)
	return nil
}
