package io.github.serverlesspg.conformance.library;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Spring Data JPA repository: derived and JPQL queries. */
public interface ShelfRepository extends JpaRepository<Shelf, Long> {
  Optional<Shelf> findByLabel(String label);

  @Query("select count(v) from Volume v where v.shelf.label = ?1")
  long countVolumesOn(String label);
}
