// Package reliability holds Agora's tests under load and faults: a soak of
// simulated stakeholders, a server killed with SIGKILL and restarted, a
// database stopped and started again, two instances over one database, the
// embedded SQLite database under concurrent writers, and backups taken
// while the server runs. The tests build the real agora binary, run it as a
// child process on loopback, and check afterwards, in the database, that
// every submission a client was told was saved is there, complete and once.
//
// docs/RELIABILITY.md says how to run each test and records the figures.
package reliability
