/**
 * Extension points of serverless-pg. This package has no dependencies so that providers and detectors can be written
 * without pulling in the driver.
 */
package io.github.serverlesspg.spi;
