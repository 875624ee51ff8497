/** Test support: child processes with deadlines, C programs compiled by a test, unique names for OS objects, leak checks. */
package org.panamaipc.testkit;
