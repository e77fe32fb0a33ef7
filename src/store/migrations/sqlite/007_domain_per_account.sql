-- beian schema, version 7 (SQLite). Filings of one domain from different accounts no longer block
-- each other while in review (the filing authority decides): one account holds at most one filing
-- of a domain in review or approved, and at most one filing of a domain is approved at all.
DROP INDEX filings_active_domain;
CREATE UNIQUE INDEX filings_active_domain_account ON filings (domain, account_id)
  WHERE state IN ('in_review', 'approved');
CREATE UNIQUE INDEX filings_approved_domain ON filings (domain) WHERE state = 'approved';
-- The operators' review queue (by state, oldest first) and the filings made with a number.
CREATE INDEX filings_state_created ON filings (state, created_at, id);
CREATE INDEX filings_number ON filings (service_number, id);
