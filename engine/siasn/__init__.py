"""Importing SIASN personnel records (web-service responses or the CSV export) into candidate files."""
