/** Test support: child processes with deadlines, unique names for OS objects, leak checks. */
package org.panamaipc.testkit;
