-- Trigram matching for partial names, e-mails and phone digits (search in the leads list).
-- pg_trgm is a trusted extension: the database's owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
