"""Social-assistance cases: application, township work, 公示, county decision, life of a case."""
