//! Reading a `pg_policies` export into rows (being written).
