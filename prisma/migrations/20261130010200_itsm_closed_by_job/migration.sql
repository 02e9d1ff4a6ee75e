-- R-A5: a reference R-J5 closed stays open to the service desk's statuses; one the desk closed does not.
ALTER TABLE "itsm_references" ADD COLUMN "closed_by_job" BOOLEAN NOT NULL DEFAULT false;
