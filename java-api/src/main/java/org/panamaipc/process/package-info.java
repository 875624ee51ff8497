/** Identifying processes safely against pid reuse, and telling whether they are alive. */
package org.panamaipc.process;
