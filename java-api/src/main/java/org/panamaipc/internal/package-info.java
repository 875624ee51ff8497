/** Internals shared by the public packages: errno mapping, name rules, clocks. Not exported. */
package org.panamaipc.internal;
